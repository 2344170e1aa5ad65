package analysis

import (
	"context"
	"errors"
	"math"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stemme/stemme/feedback"
	"github.com/stemme/stemme/store/storetest"
	"github.com/stemme/stemme/surveys"
)

var reviewNow = time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)

// reviewFixture queues three survey texts (two in wave w, one in w2) and
// two feedback messages, one of them a bare contact request without text.
func reviewFixture(t *testing.T) (*Reviewer, *feedback.Store) {
	t.Helper()
	ctx := context.Background()
	db := storetest.DB(t)
	texts := []Text{
		{ID: "t1", Wave: "w", Unit: "u1", Question: "q", Focus: "f", Lang: "nb", Date: "2026-11-02", Text: "Alt er bra.", Status: TextPending},
		{ID: "t2", Wave: "w", Unit: "u2", Question: "q", Focus: "g", Lang: "en", Date: "2026-11-01", Text: "Ring 912 34 567.", Status: TextPending, Flags: Flag("Ring 912 34 567.")},
		{ID: "t3", Wave: "w2", Unit: "u1", Question: "q", Lang: "nb", Date: "2026-10-01", Text: "Fint.", Status: TextApproved},
	}
	if err := insertTexts(ctx, db, texts); err != nil {
		t.Fatal(err)
	}
	fb, err := feedback.NewStore(db, []byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	for _, sub := range []feedback.Submission{
		{SID: "a", Unit: "u1", Text: "Jeg snakket med Sigrun.", Lang: "nb"},
		{SID: "b", Unit: "u1", Lang: "nb", WantsContact: true, Contact: feedback.Contact{Name: "X", Phone: "91234567", Lang: "nb", Time: "any"}, FollowUp: feedback.FollowUpNone},
	} {
		if errs := sub.Validate(); len(errs) > 0 {
			t.Fatal(errs)
		}
		if _, _, err := fb.Submit(ctx, sub, time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
	}
	return NewReviewer(db, fb), fb
}

func queueIDs(p QueuePage) []string {
	var out []string
	for _, it := range p.Items {
		out = append(out, it.Source+":"+it.ID)
	}
	return out
}

func TestQueueFiltersAndOrder(t *testing.T) {
	rv, _ := reviewFixture(t)
	fbID := func(p QueuePage) string {
		for _, it := range p.Items {
			if it.Source == SourceFeedback {
				return it.ID
			}
		}
		return ""
	}
	all, err := rv.Queue(context.Background(), QueueFilter{})
	if err != nil {
		t.Fatal(err)
	}
	fb := "feedback:" + fbID(all)
	tests := []struct {
		name string
		f    QueueFilter
		want []string
	}{
		{"everything oldest first, no empty feedback", QueueFilter{}, []string{"survey:t3", "survey:t2", "survey:t1", fb}},
		{"pending", QueueFilter{Status: TextPending}, []string{"survey:t2", "survey:t1", fb}},
		{"a wave leaves feedback out", QueueFilter{Wave: "w"}, []string{"survey:t2", "survey:t1"}},
		{"unit", QueueFilter{Unit: "u1", Status: TextPending}, []string{"survey:t1", fb}},
		{"flagged", QueueFilter{Flagged: true}, []string{"survey:t2", fb}},
		{"feedback only", QueueFilter{Source: SourceFeedback}, []string{fb}},
		{"survey only", QueueFilter{Source: SourceSurvey, Status: TextApproved}, []string{"survey:t3"}},
		{"second page", QueueFilter{PerPage: 3, Page: 2}, []string{fb}},
		{"page past the end is the last", QueueFilter{PerPage: 3, Page: 9}, []string{fb}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := rv.Queue(context.Background(), tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if got := queueIDs(p); !slices.Equal(got, tt.want) {
				t.Errorf("queue %v, want %v", got, tt.want)
			}
		})
	}
	if p, _ := rv.Queue(context.Background(), QueueFilter{PerPage: 3}); p.Total != 4 || p.Pages != 2 {
		t.Errorf("total %d pages %d, want 4 and 2", p.Total, p.Pages)
	}
}

func TestDecideRecordsAndRefusesStale(t *testing.T) {
	rv, fb := reviewFixture(t)
	ctx := context.Background()
	all, _ := rv.Queue(ctx, QueueFilter{Source: SourceFeedback})
	fbID := all.Items[0].ID
	tests := []struct {
		name    string
		d       Decision
		wantErr error
		status  string
		rev     int
	}{
		{"approve", Decision{Source: SourceSurvey, ID: "t1", Status: TextApproved, Rev: 0}, nil, TextApproved, 1},
		{"stale", Decision{Source: SourceSurvey, ID: "t1", Status: TextHidden, Rev: 0}, ErrStale, TextApproved, 1},
		{"changed later", Decision{Source: SourceSurvey, ID: "t1", Status: TextRedacted, Redacted: " Alt er […].\r\n", Rev: 1}, nil, TextRedacted, 2},
		{"redaction without text", Decision{Source: SourceSurvey, ID: "t2", Status: TextRedacted, Redacted: "  "}, ErrRedaction, "", 0},
		{"unknown decision", Decision{Source: SourceSurvey, ID: "t2", Status: TextPending}, ErrDecision, "", 0},
		{"no such text", Decision{Source: SourceSurvey, ID: "nope", Status: TextHidden}, ErrNoText, "", 0},
		{"unknown source", Decision{Source: "x", ID: "t2", Status: TextHidden}, ErrNoText, "", 0},
		{"feedback redacted", Decision{Source: SourceFeedback, ID: fbID, Status: TextRedacted, Redacted: "Jeg snakket med […]."}, nil, TextRedacted, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.d.By, tt.d.At = "advisor@kommune.no", reviewNow
			got, err := rv.Decide(ctx, tt.d)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if tt.status == "" {
				return
			}
			stored, err := rv.Item(ctx, tt.d.Source, tt.d.ID)
			if err != nil {
				t.Fatal(err)
			}
			if stored.Status != tt.status || stored.Rev != tt.rev || got.Rev != tt.rev {
				t.Errorf("stored %s rev %d (returned rev %d), want %s rev %d", stored.Status, stored.Rev, got.Rev, tt.status, tt.rev)
			}
			if tt.wantErr == nil && (stored.ReviewedBy != "advisor@kommune.no" || stored.ReviewedOn != "2026-11-18") {
				t.Errorf("reviewed by %q on %q", stored.ReviewedBy, stored.ReviewedOn)
			}
		})
	}
	if it, _ := rv.Item(ctx, SourceSurvey, "t1"); it.Redacted != "Alt er […]." {
		t.Errorf("redacted %q, want trimmed", it.Redacted)
	}
	f, _ := fb.Feedback(ctx, fbID)
	if f.Review != feedback.ReviewRedacted || f.Redacted != "Jeg snakket med […]." {
		t.Errorf("feedback review %q %q", f.Review, f.Redacted)
	}
}

// TestConcurrentDecisionsOneWins: of many reviewers deciding on the same
// revision at once, exactly one succeeds and the rest learn it is stale.
func TestConcurrentDecisionsOneWins(t *testing.T) {
	rv, _ := reviewFixture(t)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := rv.Decide(context.Background(), Decision{Source: SourceSurvey, ID: "t2", Status: TextHidden, By: "a", At: reviewNow})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	ok, stale := 0, 0
	for err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, ErrStale):
			stale++
		default:
			t.Fatal(err)
		}
	}
	if ok != 1 || stale != 15 {
		t.Fatalf("%d succeeded, %d stale; want 1 and 15", ok, stale)
	}
	if it, _ := rv.Item(context.Background(), SourceSurvey, "t2"); it.Rev != 1 {
		t.Fatalf("rev %d, want 1", it.Rev)
	}
}

func TestReviewedTextsOnlyShownAndReviewed(t *testing.T) {
	ctx := context.Background()
	db := storetest.DB(t)
	texts := []Text{
		{ID: "a", Wave: "w", Unit: "u1", Focus: "f", Date: "2026-11-02", Text: "ok", Status: TextApproved},
		{ID: "b", Wave: "w", Unit: "u1", Focus: "g", Date: "2026-11-01", Text: "Kari", Status: TextRedacted, Redacted: "[…]"},
		{ID: "c", Wave: "w", Unit: "u1", Focus: "f", Date: "2026-11-01", Text: "pending", Status: TextPending},
		{ID: "d", Wave: "w", Unit: "u1", Focus: "f", Date: "2026-11-01", Text: "hidden", Status: TextHidden},
		{ID: "e", Wave: "w", Unit: "u2", Focus: "f", Date: "2026-11-01", Text: "small unit", Status: TextApproved},
		{ID: "x", Wave: "other", Unit: "u1", Focus: "f", Date: "2026-11-01", Text: "other wave", Status: TextApproved},
	}
	if err := insertTexts(ctx, db, texts); err != nil {
		t.Fatal(err)
	}
	r := &Results{Wave: &surveys.Wave{ID: "w"}, Units: []string{"u1", "u2"}, Groups: map[GroupKey]*Group{
		{Unit: "u1"}: {Respondents: 9, Rate: math.NaN()},
		{Unit: "u2"}: {Hidden: true},
	}}
	tests := []struct {
		name, unit, focus string
		want              []string
	}{
		// In the order of their ids, not their dates: the order text came in
		// could be matched to who answered when.
		{"every shown unit", Municipality, "", []string{"ok", "[…]"}},
		{"one unit", "u1", "", []string{"ok", "[…]"}},
		{"focus area", Municipality, "f", []string{"ok"}},
		{"hidden unit", "u2", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReviewedTextsIn(ctx, db, r, tt.unit, tt.focus)
			if err != nil {
				t.Fatal(err)
			}
			var shown []string
			for _, x := range got {
				shown = append(shown, x.Text)
				if x.Redacted != "" || x.Flags != nil || x.Date != "" {
					t.Errorf("text %s carries its original, flags or date", x.ID)
				}
			}
			if !slices.Equal(shown, tt.want) {
				t.Errorf("shown %q, want %q", shown, tt.want)
			}
		})
	}
	all, _ := ReviewedTexts(ctx, db, r, Municipality)
	if c := countByFocus(all); c["f"] != 1 || c["g"] != 1 || len(c) != 2 {
		t.Errorf("counts by focus %v", c)
	}
}

// countByFocus counts texts per focus area ("" for questions outside one).
func countByFocus(texts []Text) map[string]int {
	out := map[string]int{}
	for _, t := range texts {
		out[t.Focus]++
	}
	return out
}
