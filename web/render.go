package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
)

//go:embed templates/*.html
var templateFS embed.FS

// views holds one parsed template set per page, each with the shared layout and partials.
type views struct {
	pages map[string]*template.Template
}

var templateFuncs = template.FuncMap{
	"contains": func(list []string, v string) bool {
		for _, s := range list {
			if s == v {
				return true
			}
		}
		return false
	},
	"add": func(a, b int) int { return a + b },
	// hyphenate marks where a narrow column's long words may break (hyphenate.go).
	"hyphenate": softHyphens,
	// date writes a local date as 17.12.2026.
	"date": norwegianDate,
	// question pairs the page (for translations) with one question for the partial.
	"question": func(p *page, q questionView) questionContext { return questionContext{Page: p, Q: q} },
	// arena pairs the page with one arena for the list of its dates.
	"arena": func(p *page, a *arenaSection) arenaContext { return arenaContext{Page: p, A: a} },
}

type arenaContext struct {
	Page *page
	A    *arenaSection
}

type questionContext struct {
	Page *page
	Q    questionView
}

func loadViews() (*views, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	var shared, pages []string
	for _, n := range names {
		base := path.Base(n)
		if base == "layout.html" || strings.HasPrefix(base, "_") {
			shared = append(shared, n)
		} else {
			pages = append(pages, n)
		}
	}
	base, err := template.New("layout.html").Funcs(templateFuncs).ParseFS(templateFS, shared...)
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	v := &views{pages: map[string]*template.Template{}}
	for _, p := range pages {
		t, err := template.Must(base.Clone()).ParseFS(templateFS, p)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", p, err)
		}
		v.pages[strings.TrimSuffix(path.Base(p), ".html")] = t
	}
	return v, nil
}

// render writes a page with the layout. The whole page is rendered into a
// buffer first, so a template error never sends half a page.
func (v *views) render(c *fiber.Ctx, status int, name string, p *page) error {
	b, err := v.bytes(name, p)
	if err != nil {
		return err
	}
	return sendHTML(c, status, b)
}

// bytes renders a page with the layout.
func (v *views) bytes(name string, p *page) ([]byte, error) {
	t, ok := v.pages[name]
	if !ok {
		return nil, fmt.Errorf("web: no template %q", name)
	}
	p.Template = name
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		return nil, fmt.Errorf("web: render %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

// htmlBody starts an HTML response with status and returns its body to
// write the page into (see responseBody).
func htmlBody(c *fiber.Ctx, status int) responseBody {
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Status(status).Response().ResetBody()
	return responseBody{c.Response()}
}

func sendHTML(c *fiber.Ctx, status int, b []byte) error {
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(status).Send(b)
}
