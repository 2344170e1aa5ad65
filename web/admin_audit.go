package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

type auditView struct {
	Actor, Action, From, To string
	Entries                 []auditRow
	Actions                 []string
}

type auditRow struct {
	At string
	staff.AuditEntry
}

var auditActions = staff.AuditActions

// auditList browses the audit log, filtered by who, what and when.
func (h *handler) auditList(c *fiber.Ctx) error {
	ctx, cancel := h.ctx(c)
	defer cancel()
	v := auditView{Actor: c.Query("actor"), Action: c.Query("action"), From: c.Query("from"), To: c.Query("to"),
		Actions: auditActions}
	f := staff.AuditFilter{Actor: v.Actor, Action: v.Action}
	if d, err := time.ParseInLocation(time.DateOnly, v.From, surveys.Oslo); err == nil {
		f.From = d
	} else {
		v.From = ""
	}
	if d, err := time.ParseInLocation(time.DateOnly, v.To, surveys.Oslo); err == nil {
		f.To = d.AddDate(0, 0, 1)
	} else {
		v.To = ""
	}
	entries, err := h.staff.AuditLog(ctx, f)
	if err != nil {
		return storeError(err)
	}
	for _, e := range entries {
		v.Entries = append(v.Entries, auditRow{At: e.At.In(surveys.Oslo).Format("2006-01-02 15:04"), AuditEntry: e})
	}
	if err := h.staff.Audit(ctx, h.cfg.Now(), actor(c), staff.AuditViewAudit, "", ""); err != nil {
		return storeError(err)
	}
	p := h.staffPage(c, "audit.title")
	p.Data = v
	return h.views.render(c, fiber.StatusOK, "audit", p)
}
