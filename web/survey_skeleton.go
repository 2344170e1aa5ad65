package web

import (
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// A page of a form in a relative's journey differs from the same page for
// another relative only in what was entered: the submission id and its
// signature, the hidden fields carrying the other pages' values, the
// values of text fields and which choices are ticked. Everything else —
// the layout, the language picker, every question, label and help text —
// depends only on the link, the language, the page and which of its
// questions and choices the answers show. So each page is rendered once in
// that shape as a skeleton, with marks where a relative's values go, and a
// step's page is the skeleton with the values written in: a copy and a few
// escapes instead of a template run (issue 22: the render was a third of a
// page step's CPU time).
//
// The skeleton is found by rendering the page through the template with
// letters-only marks in place of the values and every choice ticked, so
// what is written in is exactly what the template would have written:
// TestSkeletonPageEqualsTheTemplate renders random journeys both ways and
// compares them byte for byte. Pages with an error, a notice, a resume or
// invitation code are rendered by the template as before.

// skeleton is a rendered page cut at the places where values go.
type skeleton struct {
	// parts[i] comes before slots[i]; the last part ends the page.
	parts []string
	slots []skeletonSlot
}

type slotKind uint8

const (
	slotSID slotKind = iota
	slotSig
	// slotHidden is the run of hidden fields carrying the other pages'
	// values, written as hiddenBefore + name + hiddenMid + value + hiddenAfter each.
	slotHidden
	// slotValue is the value of question q (a text field or text area).
	slotValue
	// slotChecked is " checked" when choice c of question q is ticked.
	slotChecked
)

type skeletonSlot struct {
	kind slotKind
	q, c int
	// text is what a slotChecked writes, or a slotHidden's pattern.
	text                           string
	hiddenBefore, hiddenMid, after string
}

// Marks put into the page in place of a relative's values. Letters only,
// which html/template writes as they are in every context of the page.
const (
	hiddenNameMark   = "stemmeHiddenNameMarkQ7x"
	hiddenValueMark  = "stemmeHiddenValueMarkQ7x"
	hiddenNameMark2  = "stemmeHiddenNameMarkBQ7x"
	hiddenValueMark2 = "stemmeHiddenValueMarkBQ7x"
	valueMarkPrefix  = "stemmeValueMarkQ"
	valueMarkSuffix  = "Q7x"
)

// valueMark is the mark of question i's value: its number in letters.
func valueMark(i int) string {
	var b strings.Builder
	b.WriteString(valueMarkPrefix)
	for {
		b.WriteByte(byte('a' + i%26))
		if i < 26 {
			break
		}
		i /= 26
	}
	b.WriteString(valueMarkSuffix)
	return b.String()
}

// skeletonKey names the shape of a page: everything that decides its HTML
// except the relative's values.
func skeletonKey(c *fiber.Ctx, s *openSurvey, p *page, v *surveyView) string {
	var b strings.Builder
	for _, part := range []string{s.Link.ID, s.Instrument.ID, s.Unit.ID, p.Lang, p.Content, p.LogoURL,
		string(c.Request().URI().Host()) + c.Path()} {
		b.WriteString(part)
		b.WriteByte(0)
	}
	for _, n := range []int{v.PageIndex, v.Step, v.Steps} {
		b.WriteString(strconv.Itoa(n))
		b.WriteByte(0)
	}
	for _, q := range v.Page.Questions {
		b.WriteString(q.Key)
		for _, ch := range q.Choices {
			b.WriteByte(1)
			b.WriteString(ch.Value)
		}
		b.WriteByte(0)
	}
	return b.String()
}

// plainPage reports whether a page can be drawn from its skeleton: a page
// of the journey shown as it is, with nothing to say about it.
func plainPage(p *page, v *surveyView, status int) bool {
	return status == fiber.StatusOK && v.Notice == "" && v.Resume == "" && v.Code == "" && v.PageURL == "" &&
		len(v.Errors) == 0 && p.User == nil && p.Notice == "" && p.CSRF == ""
}

// newSkeleton renders v's page with marks and cuts it at them.
func (h *handler) newSkeleton(p *page, v surveyView) (*skeleton, error) {
	marked := v
	marked.SID, marked.Sig = sidMark, sigMark
	// Two hidden fields: the text from the first to the second is one field's.
	marked.Hidden = []hiddenValue{{Name: hiddenNameMark, Value: hiddenValueMark}, {Name: hiddenNameMark2, Value: hiddenValueMark2}}
	marked.Page.Questions = make([]questionView, len(v.Page.Questions))
	for i, q := range v.Page.Questions {
		q.Value = valueMark(i)
		q.Choices = append([]choiceView(nil), q.Choices...)
		for j := range q.Choices {
			q.Choices[j].Checked = true
		}
		marked.Page.Questions[i] = q
	}
	mp := *p
	mp.Title, mp.Data = surveyTitle(&mp, marked, fiber.StatusOK), marked
	html, err := h.views.bytes("survey", &mp)
	if err != nil {
		return nil, err
	}
	return cutSkeleton(string(html), marked.Page.Questions)
}

// A cut is where a slot replaces a mark in a marked page.
type cut struct {
	at, end int
	slot    skeletonSlot
}

// cutEvery appends a cut for every place of mark in html.
func cutEvery(cuts []cut, html, mark string, slot skeletonSlot) []cut {
	for i := 0; ; {
		j := strings.Index(html[i:], mark)
		if j < 0 {
			return cuts
		}
		cuts = append(cuts, cut{at: i + j, end: i + j + len(mark), slot: slot})
		i += j + len(mark)
	}
}

// identityCuts are the cuts at a page's submission id and signature marks.
func identityCuts(html string) []cut {
	cuts := cutEvery(nil, html, sidMark, skeletonSlot{kind: slotSID})
	return cutEvery(cuts, html, sigMark, skeletonSlot{kind: slotSig})
}

// cutIdentity cuts a page at its submission id and signature marks only:
// the skeleton of a blank form, whose every other part is the same for
// every relative.
func cutIdentity(html string) (*skeleton, error) {
	return assemble(html, identityCuts(html))
}

// cutSkeleton finds the marks in a marked page.
func cutSkeleton(html string, questions []questionView) (*skeleton, error) {
	cuts := identityCuts(html)
	for i := range questions {
		cuts = cutEvery(cuts, html, valueMark(i), skeletonSlot{kind: slotValue, q: i})
	}
	// The hidden fields: the first one's text runs from its tag's "<" to
	// the second's, which repeats it.
	name, value := strings.Index(html, hiddenNameMark), strings.Index(html, hiddenValueMark)
	name2, value2 := strings.Index(html, hiddenNameMark2), strings.Index(html, hiddenValueMark2)
	if name < 0 || value < name || name2 < value || value2 < name2 || strings.Count(html, hiddenNameMark) != 1 {
		return nil, errors.New("web: the form's hidden fields are not where a skeleton expects them")
	}
	start, start2 := strings.LastIndexByte(html[:name], '<'), strings.LastIndexByte(html[:name2], '<')
	hidden := skeletonSlot{kind: slotHidden, hiddenBefore: html[start:name], hiddenMid: html[name+len(hiddenNameMark) : value],
		after: html[value+len(hiddenValueMark) : start2]}
	second := hidden.hiddenBefore + hiddenNameMark2 + hidden.hiddenMid + hiddenValueMark2 + hidden.after
	if start < 0 || !strings.HasPrefix(html[start2:], second) {
		return nil, errors.New("web: the form's hidden fields do not repeat as a skeleton expects")
	}
	cuts = append(cuts, cut{at: start, end: start2 + len(second), slot: hidden})
	// Every choice was drawn ticked: the tick follows its id within the tag.
	for i, q := range questions {
		for j, ch := range q.Choices {
			id := strings.Index(html, `id="`+ch.ID+`"`)
			if id < 0 {
				return nil, errors.New("web: a choice of the form is not where a skeleton expects it")
			}
			tagEnd := id + strings.IndexByte(html[id:], '>')
			tick := strings.Index(html[id:tagEnd], " checked")
			if tick < 0 {
				return nil, errors.New("web: a ticked choice of the form is not marked so")
			}
			cuts = append(cuts, cut{at: id + tick, end: id + tick + len(" checked"),
				slot: skeletonSlot{kind: slotChecked, q: i, c: j, text: " checked"}})
		}
	}
	return assemble(html, cuts)
}

// assemble cuts html into a skeleton's parts at cuts.
func assemble(html string, cuts []cut) (*skeleton, error) {
	slices.SortFunc(cuts, func(a, b cut) int { return a.at - b.at })
	sk := &skeleton{}
	prev := 0
	for _, c := range cuts {
		if c.at < prev {
			return nil, errors.New("web: marks of a form's skeleton overlap")
		}
		sk.parts = append(sk.parts, html[prev:c.at])
		sk.slots = append(sk.slots, c.slot)
		prev = c.end
	}
	sk.parts = append(sk.parts, html[prev:])
	return sk, nil
}

// pageWriter is where a page is filled in: a response's body (see
// responseBody) or, in tests, a bytes.Buffer.
type pageWriter interface {
	io.Writer
	io.StringWriter
}

// responseBody appends to a response's body, a buffer fasthttp takes from
// its pool and returns after sending, so a filled-in page is written once,
// straight where it is sent from, and leaves nothing for the collector.
type responseBody struct{ r *fasthttp.Response }

func (b responseBody) WriteString(s string) (int, error) {
	b.r.AppendBodyString(s)
	return len(s), nil
}

func (b responseBody) Write(p []byte) (int, error) {
	b.r.AppendBody(p)
	return len(p), nil
}

// fill writes the page with v's values to buf.
func (sk *skeleton) fill(buf pageWriter, v *surveyView) {
	for i, slot := range sk.slots {
		buf.WriteString(sk.parts[i])
		switch slot.kind {
		case slotSID:
			escapeHTMLTo(buf, v.SID)
		case slotSig:
			escapeHTMLTo(buf, v.Sig)
		case slotHidden:
			for _, hv := range v.Hidden {
				buf.WriteString(slot.hiddenBefore)
				escapeHTMLTo(buf, hv.Name)
				buf.WriteString(slot.hiddenMid)
				escapeHTMLTo(buf, hv.Value)
				buf.WriteString(slot.after)
			}
		case slotValue:
			escapeHTMLTo(buf, v.Page.Questions[slot.q].Value)
		case slotChecked:
			if v.Page.Questions[slot.q].Choices[slot.c].Checked {
				buf.WriteString(slot.text)
			}
		}
	}
	buf.WriteString(sk.parts[len(sk.parts)-1])
}

// escapeHTMLTo writes s as html/template writes text into an element or a
// quoted attribute value (its htmlReplacementTable; other bytes as they are).
func escapeHTMLTo(buf pageWriter, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var repl string
		switch s[i] {
		case 0:
			repl = "\uFFFD"
		case '"':
			repl = "&#34;"
		case '&':
			repl = "&amp;"
		case '\'':
			repl = "&#39;"
		case '+':
			repl = "&#43;"
		case '<':
			repl = "&lt;"
		case '>':
			repl = "&gt;"
		default:
			continue
		}
		buf.WriteString(s[last:i])
		buf.WriteString(repl)
		last = i + 1
	}
	buf.WriteString(s[last:])
}

// renderCache holds rendered pages (or their skeletons) for a short while:
// a form's texts can change only through a new wave or instrument version,
// and the cache forgets within seconds.
type renderCache[T any] struct {
	mu      sync.Mutex
	entries map[string]cachedRender[T]
	// limit bounds the entries; when full, the cache starts over.
	limit int
}

type cachedRender[T any] struct {
	value   T
	expires time.Time
}

const (
	freshFormTTL     = 30 * time.Second
	freshFormEntries = 512
)

func (rc *renderCache[T]) get(key string, render func() (T, error)) (T, error) {
	now := time.Now()
	rc.mu.Lock()
	e, ok := rc.entries[key]
	rc.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.value, nil
	}
	v, err := render()
	if err != nil {
		return v, err
	}
	limit := rc.limit
	if limit == 0 {
		limit = freshFormEntries
	}
	rc.mu.Lock()
	if rc.entries == nil || len(rc.entries) >= limit {
		rc.entries = map[string]cachedRender[T]{}
	}
	rc.entries[key] = cachedRender[T]{value: v, expires: now.Add(freshFormTTL)}
	rc.mu.Unlock()
	return v, nil
}
