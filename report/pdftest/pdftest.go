// Package pdftest reads the PDFs Stemme writes, for tests: it checks a
// file's structure (header, cross-reference table, trailer, pages) and
// extracts the text its pages show, as a reader would see it.
package pdftest

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
)

var (
	startXref = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)
	xrefEntry = regexp.MustCompile(`^(\d{10}) (\d{5}) ([nf])`)
	streamRE  = regexp.MustCompile(`(?s)<<([^>]*?)>>\s*stream\r?\n`)
	showText  = regexp.MustCompile(`\(((?:[^()\\]|\\.)*)\)\s*Tj`)
	pageObj   = regexp.MustCompile(`/Type\s*/Page\b`)
	lengthRE  = regexp.MustCompile(`/Length (\d+)`)
)

// CheckStructure verifies that pdf is a PDF whose cross-reference table
// points at every object it lists, and returns the number of pages.
func CheckStructure(pdf []byte) (pages int, err error) {
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.")) {
		return 0, fmt.Errorf("no %%PDF header: %q", pdf[:min(16, len(pdf))])
	}
	m := startXref.FindSubmatch(pdf)
	if m == nil {
		return 0, fmt.Errorf("no startxref … %%%%EOF at the end")
	}
	at, _ := strconv.Atoi(string(m[1]))
	if at >= len(pdf) || !bytes.HasPrefix(pdf[at:], []byte("xref")) {
		return 0, fmt.Errorf("startxref %d does not point at the xref table", at)
	}
	lines := strings.Split(string(pdf[at:]), "\n")
	if len(lines) < 3 {
		return 0, fmt.Errorf("short xref table")
	}
	var first, count int
	if _, err := fmt.Sscanf(lines[1], "%d %d", &first, &count); err != nil {
		return 0, fmt.Errorf("xref subsection %q: %v", lines[1], err)
	}
	for i := 1; i < count; i++ {
		e := xrefEntry.FindStringSubmatch(lines[2+i])
		if e == nil {
			return 0, fmt.Errorf("xref entry %d: %q", first+i, lines[2+i])
		}
		if e[3] != "n" {
			continue
		}
		off, _ := strconv.Atoi(e[1])
		want := fmt.Sprintf("%d 0 obj", first+i)
		if off >= len(pdf) || !bytes.HasPrefix(pdf[off:], []byte(want)) {
			return 0, fmt.Errorf("xref entry %d points at %d, which is not %q", first+i, off, want)
		}
	}
	if !bytes.Contains(pdf[at:], []byte("trailer")) || !bytes.Contains(pdf[at:], []byte("/Root")) {
		return 0, fmt.Errorf("no trailer with /Root")
	}
	return Pages(pdf), nil
}

// Pages counts the page objects of a PDF written without object streams.
func Pages(pdf []byte) int {
	return len(pageObj.FindAllIndex(pdf, -1))
}

// Text returns the text the pages show, each string shown as one
// fragment, in the order drawn. Stemme's PDFs write text as UTF-16BE in
// compressed content streams; font files (with /Length1) are skipped.
func Text(pdf []byte) ([]string, error) {
	var out []string
	for _, loc := range streamRE.FindAllSubmatchIndex(pdf, -1) {
		dict := string(pdf[loc[2]:loc[3]])
		if strings.Contains(dict, "/Length1") || strings.Contains(dict, "/Subtype") {
			continue
		}
		lm := lengthRE.FindStringSubmatch(dict)
		if lm == nil {
			continue
		}
		n, _ := strconv.Atoi(lm[1])
		body := pdf[loc[1] : loc[1]+n]
		if strings.Contains(dict, "/FlateDecode") {
			zr, err := zlib.NewReader(bytes.NewReader(body))
			if err != nil {
				return nil, fmt.Errorf("stream at %d: %w", loc[0], err)
			}
			if body, err = io.ReadAll(zr); err != nil {
				return nil, fmt.Errorf("stream at %d: %w", loc[0], err)
			}
		}
		for _, s := range showText.FindAllSubmatch(body, -1) {
			out = append(out, decodeUTF16(unescape(s[1])))
		}
	}
	return out, nil
}

// unescape undoes a PDF literal string's escapes.
func unescape(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' || i+1 == len(b) {
			out = append(out, b[i])
			continue
		}
		i++
		switch c := b[i]; c {
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v, j := 0, i
			for ; j < len(b) && j < i+3 && b[j] >= '0' && b[j] <= '7'; j++ {
				v = v*8 + int(b[j]-'0')
			}
			out = append(out, byte(v))
			i = j - 1
		default:
			out = append(out, c)
		}
	}
	return out
}

func decodeUTF16(b []byte) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
	}
	return string(utf16.Decode(u))
}

// Flat joins fragments with single spaces, so that a sentence wrapped over
// lines reads as one.
func Flat(fragments []string) string {
	return strings.Join(strings.Fields(strings.Join(fragments, " ")), " ")
}
