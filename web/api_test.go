package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stemme/stemme/internal/webtest"
	"github.com/stemme/stemme/staff"
	"github.com/stemme/stemme/surveys"
)

// apiGet calls the API with a token ("" for none).
func apiGet(t *testing.T, f *webtest.Fixture, token, path string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return f.Do(t, req)
}

var newToken = regexp.MustCompile(`id="new-token">(stm_[A-Za-z0-9_-]+)<`)

func TestTokensPageLifecycle(t *testing.T) {
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	leader := users["unit_leader"]
	s := webtest.SignIn(t, f, &leader)

	resp, body := staffPost(t, f, s, "/admin/tokens?lang=en", url.Values{"name": {" "}, "expires": {"2026-12-01"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Give the token a name") || !strings.Contains(body, `value="2026-12-01"`) {
		t.Fatalf("nameless token: status %d, want 400 with a message and the date kept", resp.StatusCode)
	}
	if resp, _ := staffPost(t, f, s, "/admin/tokens", url.Values{"name": {"x"}, "expires": {"2020-01-01"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("expiry in the past: status %d", resp.StatusCode)
	}
	resp, body = staffPost(t, f, s, "/admin/tokens", url.Values{"name": {"Power BI"}})
	m := newToken.FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("create: status %d, token shown: %v, Cache-Control %q", resp.StatusCode, m != nil, resp.Header.Get("Cache-Control"))
	}
	token := m[1]
	if _, list := f.Get(t, "/admin/tokens", "Cookie", s.Cookie); strings.Contains(list, token) || !strings.Contains(list, "Power BI") {
		t.Fatal("the token list shows the token again, or not its name")
	}
	if resp, body := apiGet(t, f, token, "/api/v1/waves"); resp.StatusCode != http.StatusOK || !strings.Contains(body, `"open"`) {
		t.Fatalf("new token: status %d %s", resp.StatusCode, body)
	}
	if _, list := f.Get(t, "/admin/tokens", "Cookie", s.Cookie); !strings.Contains(list, webtest.FixedNow.Format(time.DateOnly)) {
		t.Error("last use not shown")
	}
	// Another user cannot revoke it; its owner can, and then it is refused.
	tokens, _ := staff.NewStore(f.Store.DB).Tokens(context.Background(), leader.ID)
	advisor := users["advisor"]
	if resp, _ := staffPost(t, f, webtest.SignIn(t, f, &advisor), "/admin/tokens/"+tokens[0].Ref+"/revoke", url.Values{}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("revoked by another user: status %d, want 404", resp.StatusCode)
	}
	if resp, _ := staffPost(t, f, s, "/admin/tokens/"+tokens[0].Ref+"/revoke", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: status %d", resp.StatusCode)
	}
	if resp, _ := apiGet(t, f, token, "/api/v1/waves"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("revoked token: status %d, want 401", resp.StatusCode)
	}
	log, _ := staff.NewStore(f.Store.DB).AuditLog(context.Background(), staff.AuditFilter{Action: staff.AuditToken})
	if len(log) != 2 {
		t.Errorf("%d token changes audited, want 2", len(log))
	}
}

// apiFixture has answers in the wave "open" (5 children, 1 partner), which
// it then closes so that its results exist, a second unit and a wave "two"
// shared with it (closed), a published closed wave, a wave "still" open,
// and a token per role.
func apiFixture(t *testing.T) (*webtest.Fixture, map[string]string) {
	t.Helper()
	f := webtest.New(t)
	users := webtest.StaffUsers(t, f)
	ctx := context.Background()
	ss := surveys.NewStore(f.Store.DB)
	if err := ss.InsertUnit(ctx, surveys.Unit{ID: "annet", Name: "Annet hjem", Kind: surveys.KindNursingHome, Active: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := ss.InsertWave(ctx, &surveys.Wave{ID: "two", Kind: surveys.WaveOverall, Name: "To", Instrument: "test@1",
		Units: []string{"solbakken", "annet"}, Languages: []string{"nb"}, Opens: "2026-11-01", Closes: "2026-11-30", Status: surveys.WaveOpen}); err != nil {
		t.Fatal(err)
	}
	if err := ss.PublishResults(ctx, "closed", webtest.FixedNow); err != nil {
		t.Fatal(err)
	}
	webtest.AnswerTexts(t, f, "a", "b", "c", "d", "e", "f")
	for _, w := range []string{"open", "two"} {
		if err := ss.CloseWave(ctx, w, webtest.FixedNow); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := ss.InsertWave(ctx, &surveys.Wave{ID: "still", Kind: surveys.WaveUnit, Name: "Fortsatt åpen", Instrument: "test@1",
		Units: []string{"solbakken"}, Languages: []string{"nb"}, Opens: "2026-11-01", Closes: "2026-11-30", Status: surveys.WaveOpen}); err != nil {
		t.Fatal(err)
	}
	f.Filed(t)
	st := staff.NewStore(f.Store.DB)
	other, err := st.CreateUser(ctx, staff.User{Email: "annen@kommune.no", Name: "Annen",
		Grants: []staff.Grant{{Role: staff.RoleUnitLeader, Units: []string{"annet"}}}}, "korrekt hest batteri stift")
	if err != nil {
		t.Fatal(err)
	}
	users["other_leader"] = other
	tokens := map[string]string{}
	for role, u := range users {
		tok, _, err := st.CreateToken(ctx, u.ID, role, time.Time{}, webtest.FixedNow)
		if err != nil {
			t.Fatal(err)
		}
		tokens[role] = tok
	}
	expired, _, err := st.CreateToken(ctx, users["advisor"].ID, "old", webtest.FixedNow.Add(-24*time.Hour), webtest.FixedNow.Add(-48*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	tokens["expired"] = expired
	return f, tokens
}

func TestAPIAccess(t *testing.T) {
	f, tokens := apiFixture(t)
	tests := []struct {
		name, token, path string
		status            int
		code              string // the error code, for errors
	}{
		{"no token", "", "/api/v1/waves", http.StatusUnauthorized, "unauthorized"},
		{"wrong token", "stm_AAAA", "/api/v1/waves", http.StatusUnauthorized, "unauthorized"},
		{"expired token", "expired", "/api/v1/waves", http.StatusUnauthorized, "unauthorized"},
		{"follow-up reads no results", "follow_up", "/api/v1/waves", http.StatusForbidden, "forbidden"},
		{"advisor", "advisor", "/api/v1/waves/open/results", http.StatusOK, ""},
		{"leader, own unit", "unit_leader", "/api/v1/waves/open/results?unit=solbakken", http.StatusOK, ""},
		{"leader, another unit", "other_leader", "/api/v1/waves/two/results?unit=solbakken", http.StatusForbidden, "forbidden"},
		{"leader, own unit of a shared wave", "other_leader", "/api/v1/waves/two/focus-areas?unit=annet", http.StatusOK, ""},
		{"leader, a wave without their units", "other_leader", "/api/v1/waves/open/results", http.StatusNotFound, "not_found"},
		{"council, unpublished", "council", "/api/v1/waves/open/results", http.StatusNotFound, "not_found"},
		{"council, published", "council", "/api/v1/waves/closed/results", http.StatusOK, ""},
		{"unknown wave", "admin", "/api/v1/waves/nope/results", http.StatusNotFound, "not_found"},
		{"unit not in wave", "admin", "/api/v1/waves/open/results?unit=annet", http.StatusNotFound, "not_found"},
		{"unknown segment", "admin", "/api/v1/waves/open/results?segment=shoe_size", http.StatusBadRequest, "unknown_segment"},
		{"unknown item", "admin", "/api/v1/waves/open/items/nope", http.StatusNotFound, "not_found"},
		{"text is no item", "admin", "/api/v1/waves/open/items/important", http.StatusNotFound, "not_found"},
		{"unknown path", "admin", "/api/v1/nothing", http.StatusNotFound, "not_found"},
		{"an open wave has no results", "admin", "/api/v1/waves/still/results", http.StatusConflict, "not_final"},
		{"units are not broken down", "admin", "/api/v1/waves/open/results?unit=solbakken&segment=relation",
			http.StatusBadRequest, "segment_of_total_only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token := tokens[tt.token]
			if token == "" {
				token = tt.token
			}
			resp, body := apiGet(t, f, token, tt.path)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			if resp.Header.Get("Cache-Control") != "no-store" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
				t.Errorf("Cache-Control %q, Content-Type %q", resp.Header.Get("Cache-Control"), resp.Header.Get("Content-Type"))
			}
			if tt.code == "" {
				return
			}
			var e struct {
				Error struct{ Code, Message string }
			}
			if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error.Code != tt.code || e.Error.Message == "" {
				t.Errorf("error body %s, want code %s", body, tt.code)
			}
		})
	}
	req, _ := http.NewRequest(http.MethodPost, "/api/v1/waves", nil)
	req.Header.Set("Authorization", "Bearer "+tokens["admin"])
	if resp, _ := f.Do(t, req); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d, want 405", resp.StatusCode)
	}
	// A unit leader sees only their own units listed.
	_, body := apiGet(t, f, tokens["other_leader"], "/api/v1/waves")
	var ws struct {
		Waves []struct {
			ID    string
			Units []string
		}
	}
	if err := json.Unmarshal([]byte(body), &ws); err != nil || len(ws.Waves) != 1 || ws.Waves[0].ID != "two" ||
		strings.Join(ws.Waves[0].Units, ",") != "annet" {
		t.Errorf("waves for another unit's leader: %s", body)
	}
}

func TestAPIResultsShapeAndSuppression(t *testing.T) {
	f, tokens := apiFixture(t)
	resp, body := apiGet(t, f, tokens["advisor"], "/api/v1/waves/open/results?unit=solbakken&lang=en")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	var r struct {
		Wave, Unit string
		Threshold  int
		Groups     []struct {
			Suppressed  bool
			Respondents int
			FocusAreas  []map[string]any `json:"focus_areas"`
			Items       []map[string]any
		}
	}
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatal(err)
	}
	if r.Wave != "open" || r.Unit != "solbakken" || r.Threshold < 3 || len(r.Groups) != 1 {
		t.Fatalf("shape: %s", body)
	}
	g := r.Groups[0]
	if g.Suppressed || g.Respondents != 6 || len(g.FocusAreas) != 1 || len(g.Items) != 3 {
		t.Fatalf("group: %s", body)
	}
	info := g.Items[0]
	if info["key"] != "info_given" || info["n"] != 6.0 || info["mean"] != 5.0 || info["index"] != 80.0 || info["share_positive"] != 1.0 ||
		info["name"] != "Do you get information?" || info["focus_area"] != "information" {
		t.Errorf("info_given: %v", info)
	}
	// No answers to children_info: n is 0 (a fact about the group of 6),
	// and there is no mean or index.
	if ci := g.Items[1]; ci["key"] != "children_info" || ci["n"] != 0.0 || ci["mean"] != nil || ci["index"] != nil {
		t.Errorf("children_info: %v", ci)
	}
	// The total by relation: 5 and 1 (and nobody else), so the small one
	// is hidden with the next smallest (one alone could be derived).
	_, body = apiGet(t, f, tokens["advisor"], "/api/v1/waves/open/results?segment=relation")
	var seg struct{ Groups []map[string]any }
	if err := json.Unmarshal([]byte(body), &seg); err != nil {
		t.Fatal(err)
	}
	if len(seg.Groups) < 2 {
		t.Fatalf("relation groups: %s", body)
	}
	for _, grp := range seg.Groups {
		if grp["suppressed"] != true {
			continue
		}
		for k := range grp {
			switch k {
			case "unit", "segment", "value", "suppressed":
			default:
				t.Errorf("suppressed group carries %q: %v", k, grp)
			}
		}
	}
	if !strings.Contains(body, `"suppressed":true`) || regexp.MustCompile(`"suppressed":true[^}]*"(n|mean|respondents)"`).MatchString(body) {
		t.Errorf("suppressed cells: %s", body)
	}
	// One item, and the focus areas alone.
	_, body = apiGet(t, f, tokens["advisor"], "/api/v1/waves/open/items/info_given")
	if !strings.Contains(body, `"item":"info_given"`) || strings.Contains(body, `"focus_areas"`) || strings.Contains(body, "children_info") {
		t.Errorf("item: %s", body)
	}
	_, body = apiGet(t, f, tokens["advisor"], "/api/v1/waves/open/focus-areas")
	if !strings.Contains(body, `"key":"information"`) || strings.Contains(body, `"items"`) {
		t.Errorf("focus areas: %s", body)
	}
	// NaN is null: one answer group has no interval.
	_, body = apiGet(t, f, tokens["advisor"], "/api/v1/units")
	if !strings.Contains(body, `"id":"solbakken"`) || !strings.Contains(body, `"id":"annet"`) {
		t.Errorf("units: %s", body)
	}
	_, body = apiGet(t, f, tokens["unit_leader"], "/api/v1/units")
	if strings.Contains(body, `"annet"`) {
		t.Errorf("a unit leader sees other units: %s", body)
	}
}
