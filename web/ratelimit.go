package web

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"
)

// Rate limits per client address, in memory. The address is used only as a
// key, and only salted and hashed, so not even memory holds it in the clear;
// it is never stored or logged.
var rateSalt = func() []byte {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return b
}()

func clientKey(c *fiber.Ctx) string {
	sum := sha256.Sum256(append(append([]byte{}, rateSalt...), c.IP()...))
	return hex.EncodeToString(sum[:12])
}

// rateLimit allows max requests per window for each client; when exceeded,
// reached decides the answer (a translated 429 page by default).
func rateLimit(max int, window time.Duration, reached fiber.Handler) fiber.Handler {
	if reached == nil {
		reached = func(*fiber.Ctx) error { return fiber.ErrTooManyRequests }
	}
	return limiter.New(limiter.Config{
		Max:          max,
		Expiration:   window,
		KeyGenerator: clientKey,
		LimitReached: reached,
	})
}
