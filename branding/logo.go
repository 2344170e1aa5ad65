// Package branding holds the municipality's logo shown on every page. An
// uploaded logo is accepted only as a PNG, which is decoded and encoded
// again (nothing but pixels survives), or as an SVG, which is parsed and
// written out again from an allowlist of drawing elements and attributes:
// a logo with scripts, event handlers, embedded documents or references
// to anything outside itself is refused, never served.
package branding

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/png"
)

// Limits on an uploaded logo.
const (
	// MaxBytes is the largest file accepted; the request body limit is 256 KB.
	MaxBytes = 200 << 10
	// MaxSide is the largest width or height of a PNG, in pixels.
	MaxSide = 2000
)

// Content types of a logo.
const (
	PNG = "image/png"
	SVG = "image/svg+xml"
)

// Logo is a checked logo, ready to serve.
type Logo struct {
	ContentType string `bson:"content_type"`
	Data        []byte `bson:"data"`
	// Version changes with the content, for the address pages use.
	Version string `bson:"version"`
}

// Errors of an upload; Problem names the one to show.
var (
	ErrEmpty    = errors.New("branding: no file")
	ErrTooLarge = errors.New("branding: the file is too large")
	ErrFormat   = errors.New("branding: neither a PNG nor an SVG")
	ErrPNG      = errors.New("branding: not a readable PNG, or larger than 2000 × 2000 pixels")
	ErrUnsafe   = errors.New("branding: the SVG holds something that could run or load content")
	ErrSVG      = errors.New("branding: not a readable SVG")
)

// Problem is the message key for an upload error.
func Problem(err error) string {
	for key, e := range map[string]error{"empty": ErrEmpty, "too_large": ErrTooLarge, "format": ErrFormat,
		"png": ErrPNG, "unsafe": ErrUnsafe, "svg": ErrSVG} {
		if errors.Is(err, e) {
			return "branding.error." + key
		}
	}
	return "branding.error.svg"
}

// Check reads an uploaded file and returns the logo to store: a PNG
// encoded again, or an SVG written again from what the allowlist keeps.
func Check(data []byte) (Logo, error) {
	switch {
	case len(data) == 0:
		return Logo{}, ErrEmpty
	case len(data) > MaxBytes:
		return Logo{}, ErrTooLarge
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return checkPNG(data)
	case looksLikeSVG(data):
		clean, err := sanitizeSVG(data)
		if err != nil {
			return Logo{}, err
		}
		return newLogo(SVG, clean), nil
	}
	return Logo{}, ErrFormat
}

func checkPNG(data []byte) (Logo, error) {
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width < 1 || cfg.Height < 1 || cfg.Width > MaxSide || cfg.Height > MaxSide {
		return Logo{}, ErrPNG
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return Logo{}, ErrPNG
	}
	return encodePNG(img)
}

func encodePNG(img image.Image) (Logo, error) {
	var out bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&out, img); err != nil {
		return Logo{}, fmt.Errorf("branding: unable to encode the logo: %w", err)
	}
	if out.Len() > MaxBytes {
		return Logo{}, ErrTooLarge
	}
	return newLogo(PNG, out.Bytes()), nil
}

func newLogo(contentType string, data []byte) Logo {
	sum := sha256.Sum256(data)
	return Logo{ContentType: contentType, Data: data, Version: hex.EncodeToString(sum[:6])}
}

// looksLikeSVG: an XML document (after an optional byte-order mark and
// white space) whose first element is an svg.
func looksLikeSVG(data []byte) bool {
	d := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	return bytes.HasPrefix(d, []byte("<")) && bytes.Contains(d[:min(len(d), 4096)], []byte("<svg"))
}
