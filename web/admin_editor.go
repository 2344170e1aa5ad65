package web

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/surveys"
)

// The instrument editor for advisors: a published version is copied into
// a draft, the draft is edited one part at a time (each form names the
// revision it was made on), and published when Validate finds nothing.
// Every change is audited.

// instrumentParam is the instrument id in the path ("key@version").
func instrumentParam(c *fiber.Ctx) (string, error) {
	id, err := url.PathUnescape(c.Params("id"))
	if err != nil || id == "" {
		return "", fiber.ErrNotFound
	}
	return id, nil
}

func (h *handler) loadInstrument(c *fiber.Ctx) (*surveys.Instrument, error) {
	id, err := instrumentParam(c)
	if err != nil {
		return nil, err
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	in, err := h.surveys.Instrument(ctx, id)
	if err != nil {
		return nil, storeError(err)
	}
	return in, nil
}

// draftCreate makes the next draft version from a version, or leads to
// the draft that already exists.
func (h *handler) draftCreate(c *fiber.Ctx) error {
	id, err := instrumentParam(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	d, err := h.ops.Instruments.NewDraft(ctx, actor(c), id)
	var exists *surveys.DraftExistsError
	switch {
	case errors.As(err, &exists):
		return c.Redirect(editorURL(exists.Draft.ID, "")+"&done=exists", fiber.StatusSeeOther)
	case err != nil:
		return storeError(err)
	}
	return c.Redirect(editorURL(d.ID, "")+"&done=created", fiber.StatusSeeOther)
}

// editorShow shows a draft's overview; a published version only offers a new draft.
func (h *handler) editorShow(c *fiber.Ctx) error {
	in, err := h.loadInstrument(c)
	if err != nil {
		return err
	}
	return h.renderEditor(c, editorState{in: in})
}

// editOverview applies one edit from a form of the overview and goes back
// there; a refused edit re-renders the overview. keepTyped re-applies the
// edit to what is shown, so typed texts survive; moves and deletions are
// not re-applied, as the page would show as done what was refused.
func (h *handler) editOverview(c *fiber.Ctx, detail, anchor string, keepTyped bool, edit func(*surveys.Instrument) error) error {
	id, err := instrumentParam(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	rev, _ := strconv.Atoi(c.FormValue("rev"))
	edit = withConfirmations(c, edit)
	if err := h.ops.Instruments.Edit(ctx, actor(c), id, rev, edit, func() string { return detail }); err != nil {
		st, ferr := h.editFailed(c, err)
		if ferr != nil {
			return ferr
		}
		if keepTyped && st.in.Status != surveys.InstrumentPublished {
			typed := st.in.Clone()
			_ = edit(typed)
			st.in = typed
		}
		return h.renderEditor(c, st)
	}
	return c.Redirect(editorURL(id, c.FormValue("to"))+"&done=saved"+anchor, fiber.StatusSeeOther)
}

// editFailed turns a refused edit into what to render: the draft as it is
// now (with someone else's changes after a conflict), the status and the
// message. Errors that are not the advisor's to fix are returned.
func (h *handler) editFailed(c *fiber.Ctx, err error) (editorState, error) {
	var conflict *surveys.ConflictError
	var ps surveys.Problems
	var te *surveys.TransitionError
	switch {
	case errors.Is(err, surveys.ErrPublished) || errors.As(err, &te):
		in, lerr := h.loadInstrument(c)
		return editorState{in: in, status: fiber.StatusConflict, errKey: "editor.error.published"}, lerr
	case errors.As(err, &conflict) && conflict.Current != nil:
		return editorState{in: conflict.Current, status: fiber.StatusConflict, errKey: "editor.error.conflict"}, nil
	case errors.As(err, &ps):
		in, lerr := h.loadInstrument(c)
		return editorState{in: in, status: fiber.StatusBadRequest, errKey: "editor.error.invalid", ps: ps}, lerr
	case errors.Is(err, surveys.ErrNoSuchPart):
		return editorState{}, fiber.ErrNotFound
	}
	return editorState{}, storeError(err)
}

// titleSave changes the title and introduction.
func (h *handler) titleSave(c *fiber.Ctx) error {
	title, intro := editorFormText(c, "title"), editorFormText(c, "intro")
	return h.editOverview(c, "title", "#title", true, func(in *surveys.Instrument) error {
		in.SetTitle(ownLanguages(in, title), ownLanguages(in, intro))
		return nil
	})
}

// languagesSave records reviews and adds a language to translate: any
// BCP 47 code, with its name in itself and direction when CLDR's will not do.
func (h *handler) languagesSave(c *fiber.Ctx) error {
	statuses := map[string]string{}
	var detail []string
	for k, v := range c.Request().PostArgs().All() {
		if code, ok := strings.CutPrefix(string(k), "status."); ok && surveys.ValidLanguageCode(code) {
			statuses[code] = string(v)
			detail = append(detail, code+"="+string(v))
		}
	}
	add := strings.TrimSpace(c.FormValue("add"))
	name, direction := strings.TrimSpace(c.FormValue("add_name")), c.FormValue("add_dir")
	if add != "" {
		detail = append(detail, "add "+add)
	}
	return h.editOverview(c, "languages "+strings.Join(detail, " "), "#languages", true, func(in *surveys.Instrument) error {
		for _, l := range in.LanguageCodes() {
			if s, ok := statuses[l]; ok {
				if err := in.SetLanguageStatus(l, s); err != nil {
					return err
				}
			}
		}
		if add != "" {
			return in.AddLanguage(languageCode(add), name, direction)
		}
		return nil
	})
}

// languageCode reads what an advisor typed as a language: a code, "Name
// (code)" as the list suggests, or a name Stemme knows.
func languageCode(s string) string {
	if open := strings.LastIndex(s, "("); open >= 0 && strings.HasSuffix(s, ")") {
		s = s[open+1 : len(s)-1]
	}
	if code, ok := surveys.LanguageByName(s); ok {
		return code
	}
	return strings.TrimSpace(s)
}

// withConfirmations adds to an edit the confirmations of stale
// translations the form carries ("lt question.informed.text").
func withConfirmations(c *fiber.Ctx, edit func(*surveys.Instrument) error) func(*surveys.Instrument) error {
	var confirm [][2]string
	for k, v := range c.Request().PostArgs().All() {
		if string(k) == "confirm" {
			if lang, id, ok := strings.Cut(string(v), " "); ok {
				confirm = append(confirm, [2]string{lang, id})
			}
		}
	}
	if len(confirm) == 0 {
		return edit
	}
	return func(in *surveys.Instrument) error {
		if err := edit(in); err != nil {
			return err
		}
		for _, x := range confirm {
			in.ConfirmTranslation(x[0], x[1])
		}
		return nil
	}
}

// focusAreasSave changes the focus areas' names.
func (h *handler) focusAreasSave(c *fiber.Ctx) error {
	names := indexedTexts(c, "area")
	return h.editOverview(c, "focus areas", "#focus-areas", true, func(in *surveys.Instrument) error {
		for i, t := range names {
			if err := in.SetFocusAreaName(i, ownLanguages(in, t)); err != nil {
				return err
			}
		}
		return nil
	})
}

// listSave changes the labels of one choice list.
func (h *handler) listSave(c *fiber.Ctx) error {
	list, err := strconv.Atoi(c.Params("list"))
	if err != nil {
		return fiber.ErrNotFound
	}
	labels := indexedTexts(c, "choice")
	return h.editOverview(c, fmt.Sprintf("list %d", list), fmt.Sprintf("#list-%d", list), true, func(in *surveys.Instrument) error {
		for j, t := range labels {
			if err := in.SetChoiceLabel(list, j, ownLanguages(in, t)); err != nil {
				return err
			}
		}
		return nil
	})
}

// pageAdd adds a page at the end.
func (h *handler) pageAdd(c *fiber.Ctx) error {
	title := editorFormText(c, "title")
	return h.editOverview(c, "page add", "#pages", true, func(in *surveys.Instrument) error {
		in.AddPage(ownLanguages(in, title))
		return nil
	})
}

// pageChange saves a page's title, moves it or deletes it (op).
func (h *handler) pageChange(c *fiber.Ctx) error {
	i, err := strconv.Atoi(c.Params("page"))
	if err != nil {
		return fiber.ErrNotFound
	}
	anchor := fmt.Sprintf("#page-%d", i)
	switch op := c.FormValue("op"); op {
	case "save":
		title := editorFormText(c, "title")
		return h.editOverview(c, fmt.Sprintf("page %d title", i), anchor, true,
			func(in *surveys.Instrument) error { return in.SetPageTitle(i, ownLanguages(in, title)) })
	case "up", "down":
		delta := map[string]int{"up": -1, "down": 1}[op]
		return h.editOverview(c, fmt.Sprintf("page %d %s", i, op), fmt.Sprintf("#page-%d", i+delta), false,
			func(in *surveys.Instrument) error { return in.MovePage(i, delta) })
	case "delete":
		return h.editOverview(c, fmt.Sprintf("page %d delete", i), "#pages", false,
			func(in *surveys.Instrument) error { return in.DeletePage(i) })
	}
	return fiber.ErrBadRequest
}

// instrumentPublish publishes the draft as the advisor last saw it, or
// lists every problem that keeps it from being published.
func (h *handler) instrumentPublish(c *fiber.Ctx) error {
	id, err := instrumentParam(c)
	if err != nil {
		return err
	}
	ctx, cancel := h.ctx(c)
	defer cancel()
	rev, _ := strconv.Atoi(c.FormValue("rev"))
	if err := h.ops.Instruments.Publish(ctx, actor(c), id, rev); err != nil {
		st, ferr := h.editFailed(c, err)
		if ferr != nil {
			return ferr
		}
		if st.ps != nil {
			st.errKey = "editor.error.publish"
		}
		return h.renderEditor(c, st)
	}
	return c.Redirect(editorURL(id, c.FormValue("to"))+"&done=published", fiber.StatusSeeOther)
}
