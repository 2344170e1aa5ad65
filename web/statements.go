package web

import (
	"html/template"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/surveys"
)

// statementFacts are the figures the statements quote, taken from the code
// that enforces them, so the privacy page cannot drift from what is done.
type statementFacts struct {
	JourneyHours, ReceiptMinutes int
	// Contact is where to report a problem with the pages.
	Contact orgContact
}

// orgContact is the municipality's contact for feedback on accessibility,
// which the statement must give (forskrift om universell utforming av IKT).
type orgContact struct {
	Email, Phone string
	// Tel is the phone number as a tel: link: its digits and a leading +.
	Tel template.URL
}

func (o orgContact) Any() bool { return o.Email != "" || o.Phone != "" }

func newOrgContact(email, phone string) orgContact {
	o := orgContact{Email: strings.TrimSpace(email), Phone: strings.TrimSpace(phone)}
	var tel strings.Builder
	for _, r := range o.Phone {
		if r >= '0' && r <= '9' || (r == '+' && tel.Len() == 0) {
			tel.WriteRune(r)
		}
	}
	if tel.Len() > 0 {
		// Only ASCII digits and "+": safe as a URL without escaping.
		o.Tel = template.URL("tel:" + tel.String())
	}
	return o
}

// statementPage renders a static, translated page: the privacy and the
// accessibility statements.
func (h *handler) statementPage(name, titleKey string) fiber.Handler {
	facts := statementFacts{JourneyHours: int(surveys.JourneyTTL / time.Hour), ReceiptMinutes: int(receiptTTL / time.Minute),
		Contact: newOrgContact(h.cfg.OrgContactEmail, h.cfg.OrgContactPhone)}
	return func(c *fiber.Ctx) error {
		p := h.page(c)
		p.Title = p.T(titleKey)
		p.Data = facts
		return h.views.render(c, fiber.StatusOK, name, p)
	}
}
