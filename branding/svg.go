package branding

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"strings"
)

const (
	svgNS   = "http://www.w3.org/2000/svg"
	xlinkNS = "http://www.w3.org/1999/xlink"
)

// drawing are the SVG elements a logo may hold: shapes, text, grouping,
// gradients and clipping. Anything else that is not dangerous (editor
// metadata, <style>, filters) is left out with its content.
var drawing = set("svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan",
	"title", "desc", "defs", "linearGradient", "radialGradient", "stop", "clipPath", "mask", "symbol", "use")

// dangerous elements run, load or embed content: an SVG holding one is refused.
var dangerous = set("script", "foreignObject", "iframe", "embed", "object", "image", "a", "animate", "set",
	"animateMotion", "animateTransform", "animateColor", "handler", "listener", "feImage", "audio", "video", "canvas")

// attributes are those kept; href only within the document.
var attributes = set("id", "viewBox", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry",
	"fx", "fy", "fr", "dx", "dy", "d", "points", "fill", "fill-opacity", "fill-rule", "clip-rule", "stroke",
	"stroke-width", "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset",
	"stroke-opacity", "opacity", "transform", "offset", "stop-color", "stop-opacity", "gradientUnits",
	"gradientTransform", "spreadMethod", "clip-path", "clipPathUnits", "mask", "maskUnits", "maskContentUnits",
	"font-family", "font-size", "font-weight", "font-style", "text-anchor", "dominant-baseline", "letter-spacing",
	"preserveAspectRatio", "display", "visibility", "rotate", "lengthAdjust", "textLength", "href", "style",
	"role", "aria-label", "color", "paint-order", "vector-effect")

// safeValue: letters, digits, white space and the punctuation of numbers,
// colours, transforms and paths; url() only to an id in the document.
var (
	safeValue = regexp.MustCompile(`^[-\w\s#.,:;%()'"!/+]*$`)
	urlRef    = regexp.MustCompile(`(?i)url\s*\(`)
	localURL  = regexp.MustCompile(`(?i)url\(\s*['"]?#[-\w.:]+['"]?\s*\)`)
)

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// sanitizeSVG parses the document and writes it out again: allowlisted
// elements and attributes only, text escaped, no prolog, doctype, comment
// or processing instruction. It refuses the document when anything in it
// could run or load content.
func sanitizeSVG(data []byte) ([]byte, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	var out bytes.Buffer
	depth, skip, root := 0, 0, false
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, ErrSVG
		}
		switch t := tok.(type) {
		case xml.Directive:
			// <!DOCTYPE …> may declare entities; a logo needs none.
			return nil, ErrUnsafe
		case xml.StartElement:
			depth++
			name := t.Name.Local
			if dangerous[name] {
				return nil, ErrUnsafe
			}
			for _, a := range t.Attr {
				if err := checkAttr(a); err != nil {
					return nil, err
				}
			}
			if skip > 0 || (t.Name.Space != svgNS && t.Name.Space != "") || !drawing[name] {
				skip++
				continue
			}
			if !root {
				if name != "svg" {
					return nil, ErrSVG
				}
				root = true
				out.WriteString(`<svg xmlns="` + svgNS + `"`)
			} else {
				out.WriteString("<" + name)
			}
			for _, a := range t.Attr {
				if keep(a) {
					out.WriteString(" " + a.Name.Local + `="`)
					_ = xml.EscapeText(&out, []byte(a.Value))
					out.WriteString(`"`)
				}
			}
			out.WriteString(">")
		case xml.EndElement:
			depth--
			if skip > 0 {
				skip--
				continue
			}
			out.WriteString("</" + t.Name.Local + ">")
		case xml.CharData:
			if skip == 0 && root && depth > 0 {
				_ = xml.EscapeText(&out, t)
			}
		}
	}
	if !root {
		return nil, ErrSVG
	}
	return out.Bytes(), nil
}

// checkAttr refuses event handlers, references out of the document and
// values that are not plain drawing values.
func checkAttr(a xml.Attr) error {
	name, v := strings.ToLower(a.Name.Local), a.Value
	switch {
	case strings.HasPrefix(name, "on"):
		return ErrUnsafe
	case name == "href" && !strings.HasPrefix(strings.TrimSpace(v), "#"):
		return ErrUnsafe
	case len(urlRef.FindAllString(v, -1)) != len(localURL.FindAllString(v, -1)):
		// Every url() must point at an id in the logo itself.
		return ErrUnsafe
	case name == "style" && (strings.Contains(v, "@") || strings.Contains(v, `\`) || strings.Contains(strings.ToLower(v), "expression")):
		return ErrUnsafe
	}
	return nil
}

// keep says whether an attribute is written out: SVG's own (or xlink's
// href), on the allowlist, with a plain value.
func keep(a xml.Attr) bool {
	if a.Name.Space != "" && !(a.Name.Space == xlinkNS && a.Name.Local == "href") {
		return false
	}
	return attributes[a.Name.Local] && safeValue.MatchString(a.Value)
}
