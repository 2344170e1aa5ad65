package web

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/gofiber/fiber/v2"
	"rsc.io/qr"
)

type posterView struct {
	URL, UnitName, Title string
	QR                   template.HTML
	Langs                []langChoice
}

// poster renders a printable A4 poster for a unit's open link in the chosen
// language, with a QR code drawn as SVG on the server.
func (h *handler) poster(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	s, err := h.loadSurvey(ctx, c.Params("link"))
	if err != nil {
		return err
	}
	p := h.staffPage(c, "poster.title")
	url := h.cfg.BaseURL + "/s/" + s.Link.ID + "?lang=" + p.Lang
	svg, err := qrSVG(url, p.T("poster.qr_label"))
	if err != nil {
		return err
	}
	p.Data = posterView{URL: url, UnitName: s.Unit.Name, Title: s.Instrument.Title.In(s.Instrument.ContentLanguage(p.Lang)),
		QR: svg, Langs: p.Langs}
	return h.views.render(c, fiber.StatusOK, "poster", p)
}

// qrSVG draws text as a QR code (error correction M) with a quiet zone of four modules.
func qrSVG(text, label string) (template.HTML, error) {
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		return "", fmt.Errorf("web: QR code: %w", err)
	}
	n := code.Size + 8
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" class="qr" role="img" aria-label="%s" shape-rendering="crispEdges">`,
		n, n, template.HTMLEscapeString(label))
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for y := 0; y < code.Size; y++ {
		for x := 0; x < code.Size; x++ {
			if code.Black(x, y) {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x+4, y+4)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return template.HTML(b.String()), nil
}
