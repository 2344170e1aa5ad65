package exports_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/stemme/stemme/exports"
)

func TestCSVStartsWithBOMAndSeparator(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	e, err := exports.Prepare(ctx, f.db, f.bundle, f.results(t), exports.Options{Lang: "nb", Raw: true, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		write func(*bytes.Buffer, exports.Separator) error
		sep   exports.Separator
		start string
	}{
		{"raw, semicolon", func(b *bytes.Buffer, s exports.Separator) error { return e.WriteRawCSV(ctx, b, s, nil) },
			exports.Semicolon, "\xEF\xBB\xBFRad;Bølge-ID;Versjon av spørreskjemaet;Enhet;Språk;relation;a;help_phone;help_visit;age\r\n1;w1;1;Enhet u"},
		{"raw, comma", func(b *bytes.Buffer, s exports.Separator) error { return e.WriteRawCSV(ctx, b, s, nil) },
			exports.Comma, "\xEF\xBB\xBFRad,Bølge-ID,Versjon av spørreskjemaet,Enhet,Språk,relation,a,help_phone,help_visit,age\r\n1,w1,1,Enhet u"},
		{"summary, semicolon", func(b *bytes.Buffer, s exports.Separator) error { return e.WriteSummaryCSV(b, s) },
			exports.Semicolon, "\xEF\xBB\xBFEnhet;Bakgrunn;Verdi;Svar i gruppen;Svarprosent;Nøkkel;Spørsmål;Innsatsområde;n;"},
		{"codebook, comma", func(b *bytes.Buffer, s exports.Separator) error { return e.WriteCodebookCSV(b, s) },
			exports.Comma, "\xEF\xBB\xBFNøkkel,Variabel,Type,Tekst,Innsatsområde,Bakgrunn,Vises når,Verdi,Kode,Etikett,Manglende verdi\r\n" +
				"relation,relation,Ett valg,Hvem er du pårørende til?,,Ja,,,,,\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(&b, tt.sep); err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(b.Bytes(), []byte(tt.start)) {
				t.Errorf("starts %q, want %q", b.Bytes()[:min(b.Len(), len(tt.start)+20)], tt.start)
			}
		})
	}
}

func TestSummaryCSVDecimalCommaAndSuppression(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	e, err := exports.Prepare(ctx, f.db, f.bundle, f.results(t), exports.Options{Lang: "nb", Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := e.WriteSummaryCSV(&b, exports.Semicolon); err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(b.String(), "\uFEFF")))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var u1, u3 []string
	for _, rec := range recs {
		if rec[5] == "a" && rec[1] == "" && rec[0] == "Enhet u1" {
			u1 = rec
		}
		if rec[5] == "a" && rec[1] == "" && rec[0] == "Enhet u3" {
			u3 = rec
		}
	}
	if u1 == nil || u1[11] != "5,00" || u1[14] != "80,0" || u1[17] != "0,6000" {
		t.Errorf("u1 row %q: want mean 5,00, index 80,0, share 0,6000", u1)
	}
	if u3 == nil || u3[3] != "" || u3[11] != "" || u3[22] != hiddenNote {
		t.Errorf("u3 row %q: want empty cells and the note", u3)
	}
}

func TestCSVDefusesFormulas(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// A unit named like a formula, and the raw data's text cells.
	if _, err := f.db.Collection("units").UpdateOne(ctx, map[string]string{"_id": "u1"},
		map[string]any{"$set": map[string]string{"name": "@SUM(1+1)*cmd|' /C calc'!A0"}}); err != nil {
		t.Fatal(err)
	}
	e, err := exports.Prepare(ctx, f.db, f.bundle, f.results(t), exports.Options{Lang: "nb", Raw: true, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := e.WriteRawCSV(ctx, &b, exports.Comma, nil); err != nil {
		t.Fatal(err)
	}
	// Rows come in the store's order, which is random once a wave closes.
	if !strings.Contains(b.String(), ",w1,1,'@SUM(1+1)*cmd|' /C calc'!A0,nb,") {
		t.Errorf("the unit name was not defused:\n%s", b.String()[:min(b.Len(), 300)])
	}
	for _, line := range strings.Split(b.String(), "\r\n") {
		for _, field := range strings.Split(line, ",") {
			if field != "" && strings.ContainsRune("=+-@\t\r", rune(field[0])) {
				t.Errorf("field %q starts a formula", field)
			}
		}
	}
}
