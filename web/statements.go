package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/surveys"
)

// statementFacts are the figures the statements quote, taken from the code
// that enforces them, so the privacy page cannot drift from what is done.
type statementFacts struct {
	JourneyHours, ReceiptMinutes int
}

// statementPage renders a static, translated page: the privacy and the
// accessibility statements.
func (h *handler) statementPage(name, titleKey string) fiber.Handler {
	facts := statementFacts{JourneyHours: int(surveys.JourneyTTL / time.Hour), ReceiptMinutes: int(receiptTTL / time.Minute)}
	return func(c *fiber.Ctx) error {
		p := h.page(c)
		p.Title = p.T(titleKey)
		p.Data = facts
		return h.views.render(c, fiber.StatusOK, name, p)
	}
}
