package web

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/netip"
	"strings"
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

// clientIPKey holds the client's address for the rest of the request.
const clientIPKey = "stemme.client"

// clientIP is the address of the client: the peer, unless the peer is a
// trusted proxy. Then it is the rightmost X-Forwarded-For hop that is not
// one of our proxies: proxies append what they saw, so hops further left
// were written by the client and prove nothing (Fiber's c.IP() takes the
// leftmost, which a client sets at will).
func clientIP(c *fiber.Ctx) net.IP {
	if ip, ok := c.Locals(clientIPKey).(net.IP); ok {
		return ip
	}
	return net.IP(c.Context().RemoteIP())
}

// proxies are the reverse proxies whose X-Forwarded-For is believed.
type proxies []netip.Prefix

func parseProxies(list []string) proxies {
	var ps proxies
	for _, s := range list {
		if p, err := netip.ParsePrefix(s); err == nil {
			ps = append(ps, p.Masked())
		} else if a, err := netip.ParseAddr(s); err == nil {
			ps = append(ps, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
		}
	}
	return ps
}

func (ps proxies) trusted(ip net.IP) bool {
	a, ok := netip.AddrFromSlice(ip)
	if !ok {
		return false
	}
	a = a.Unmap()
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientAddress finds the client's address once per request for clientIP.
func (ps proxies) clientAddress(c *fiber.Ctx) error {
	ip := net.IP(c.Context().RemoteIP())
	if len(ps) > 0 && ps.trusted(ip) {
		hops := strings.Split(c.Get(fiber.HeaderXForwardedFor), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			hop := net.ParseIP(strings.TrimSpace(hops[i]))
			if hop == nil {
				break // not written by a proxy of ours: stop at the proxy
			}
			ip = hop
			if !ps.trusted(hop) {
				break
			}
		}
	}
	c.Locals(clientIPKey, ip)
	return c.Next()
}

func clientKey(c *fiber.Ctx) string {
	sum := sha256.Sum256(append(append([]byte{}, rateSalt...), clientIP(c)...))
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
