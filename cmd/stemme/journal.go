package main

import (
	"time"

	"github.com/stemme/stemme/ops"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/store"
)

// cliActor is who the audit log names for a change made on the command
// line: whoever runs stemme on the server, which holds no staff session.
const cliActor = "cli"

// auditLogOf is the audit log the commands' operations write to: the
// store's own. A test replaces it with one that cannot be written
// (audit_unreachable_test.go), to show that a command then changes nothing.
var auditLogOf = func(st *store.Store) *staff.Store { return staff.NewStore(st.DB) }

// journal returns the journal of the operations a command runs on st
// (package ops: each writes its audit entry before its change); now is
// the clock, nil for time.Now.
func journal(st *store.Store, now func() time.Time) *ops.Journal {
	return ops.NewJournal(auditLogOf(st), now)
}
