package branding

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
)

func pngOf(t *testing.T, w, h int, meta bool) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, 0, color.RGBA{11, 79, 108, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	if meta {
		// A tEXt chunk before IEND: text a logo does not need.
		iend := bytes.LastIndex(data, []byte("IEND")) - 4
		body := []byte("tEXtComment\x00hi")
		chunk := binary.BigEndian.AppendUint32(nil, uint32(len(body)-4))
		chunk = binary.BigEndian.AppendUint32(append(chunk, body...), crc32.ChecksumIEEE(body))
		data = append(append(append([]byte{}, data[:iend]...), chunk...), data[iend:]...)
	}
	return data
}

func TestCheck(t *testing.T) {
	for _, tt := range []struct {
		name    string
		data    []byte
		err     error
		want    []string // in the stored SVG
		notWant []string
	}{
		{name: "empty", data: nil, err: ErrEmpty},
		{name: "too large", data: append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, MaxBytes)...), err: ErrTooLarge},
		{name: "a JPEG", data: []byte("\xff\xd8\xff\xe0\x00\x10JFIF"), err: ErrFormat},
		{name: "HTML", data: []byte("<html><script>alert(1)</script></html>"), err: ErrFormat},
		{name: "a PNG", data: pngOf(t, 120, 40, false)},
		{name: "a PNG with text in it", data: pngOf(t, 120, 40, true), notWant: []string{"Comment"}},
		{name: "a PNG too large", data: pngOf(t, 2001, 10, false), err: ErrPNG},
		{name: "a broken PNG", data: []byte("\x89PNG\r\n\x1a\nnothing"), err: ErrPNG},
		{name: "a plain SVG", data: []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>Eksempel kommune</title><rect width="10" height="10" fill="#0b4f6c"/><text x="1" y="8">Å</text></svg>`),
			want: []string{`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">`, `<rect width="10" height="10" fill="#0b4f6c"></rect>`, `<title>Eksempel kommune</title>`, ">Å</text>"}},
		{name: "Inkscape's metadata is left out", data: []byte(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" inkscape:version="1.2"><metadata><x>y</x></metadata><style>rect{fill:red}</style><g inkscape:label="Lag 1"><path d="M0 0L1 1" style="fill:#000;stroke:none"/></g></svg>`),
			want: []string{`<g><path d="M0 0L1 1" style="fill:#000;stroke:none"></path></g>`}, notWant: []string{"inkscape", "metadata", "style>", "rect{"}},
		{name: "a gradient by local reference", data: []byte(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs><rect fill="url(#g)" width="1" height="1"/><use xlink:href="#g"/></svg>`),
			want: []string{`fill="url(#g)"`, `<use href="#g">`}},
		{name: "a script", data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), err: ErrUnsafe},
		{name: "an event handler", data: []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>`), err: ErrUnsafe},
		{name: "an event handler in upper case", data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"><rect ONCLICK="alert(1)"/></svg>`), err: ErrUnsafe},
		{name: "an embedded page", data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject></svg>`), err: ErrUnsafe},
		{name: "a link", data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><rect/></a></svg>`), err: ErrUnsafe},
		{name: "an outside image", data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"><image href="https://evil.example/x.png"/></svg>`), err: ErrUnsafe},
		{name: "use of an outside file", data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"><use href="https://evil.example/x.svg#a"/></svg>`), err: ErrUnsafe},
		{name: "a fill from outside", data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(https://evil.example/#g)"/></svg>`), err: ErrUnsafe},
		{name: "a style that imports", data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"><rect style="@import 'x'"/></svg>`), err: ErrUnsafe},
		{name: "an entity", data: []byte(`<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>`), err: ErrUnsafe},
		{name: "an animation", data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"><set attributeName="href" to="javascript:alert(1)"/></svg>`), err: ErrUnsafe},
		{name: "not well-formed", data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>`), err: ErrSVG},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Check(tt.data)
			if !errors.Is(err, tt.err) {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			if err != nil {
				if !strings.HasPrefix(Problem(err), "branding.error.") {
					t.Errorf("no message for %v", err)
				}
				return
			}
			if l.Version == "" || (l.ContentType != PNG && l.ContentType != SVG) {
				t.Errorf("logo %q version %q", l.ContentType, l.Version)
			}
			for _, w := range tt.want {
				if !bytes.Contains(l.Data, []byte(w)) {
					t.Errorf("stored logo lacks %s:\n%s", w, l.Data)
				}
			}
			for _, w := range tt.notWant {
				if bytes.Contains(l.Data, []byte(w)) {
					t.Errorf("stored logo keeps %s:\n%s", w, l.Data)
				}
			}
			if l.ContentType == PNG {
				if _, err := png.Decode(bytes.NewReader(l.Data)); err != nil {
					t.Errorf("stored PNG does not decode: %v", err)
				}
			}
		})
	}
}
