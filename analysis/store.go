package analysis

import (
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/stemme/stemme/store"
)

// Collection names of the analysis domain.
const (
	// colTallies prefixes the per-wave collections of tallies.
	colTallies = "tallies"
	colJournal = "tally_journal"
	// colVersions holds each wave's tally version (version.go).
	colVersions = "tally_versions"
	colTexts    = "texts"
	// colWithdrawals holds withdrawals asked for and not yet done.
	colWithdrawals = "withdrawals"
)

// Indexes lists the indexes the analysis domain needs.
func Indexes() []store.Index {
	return []store.Index{
		{Collection: colTexts, Keys: bson.D{{Key: "status", Value: 1}}},
	}
}

// fill gives a tally read from the store empty maps where it had none.
func (t *Tally) fill() {
	if t.Counts == nil {
		t.Counts = map[string]map[string]int64{}
	}
	if t.Answered == nil {
		t.Answered = map[string]int64{}
	}
	if t.Items == nil {
		t.Items = map[string]Moments{}
	}
	if t.Focus == nil {
		t.Focus = map[string]Moments{}
	}
}
