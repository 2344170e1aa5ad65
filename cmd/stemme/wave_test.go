package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestWaveCommands(t *testing.T) {
	env := []string{"STEMME_DATA_DIR=" + t.TempDir()}
	if code, out, errOut := stemme(t, env, "seed"); code != 0 {
		t.Fatalf("seed: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut := stemme(t, env, "wave", "list")
	if code != 0 {
		t.Fatalf("wave list: exit %d: %s", code, errOut)
	}
	units := "solbakken,fjordtun,hjemme_nord,hjemme_sor,bekkestua,lia_avlastning"
	m := regexp.MustCompile(`(?m)^oppfolging_(\d{4})\tunit\tfjordtun,hjemme_sor\topen$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("wave list has no open follow-up wave:\n%s", out)
	}
	year, _ := strconv.Atoi(m[1])
	current, previous, respite := "oppfolging_"+m[1], "overall_"+strconv.Itoa(year-4), "lia_avlastning_"+m[1]
	for _, want := range []string{
		"overall_" + m[1] + "\toverall\t" + units + "\tclosed\n",
		previous + "\toverall\t" + units + "\tclosed\n",
		respite + "\tunit\tlia_avlastning\tdraft\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("wave list lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "\n"); n != 4 {
		t.Errorf("wave list has %d lines, want 4:\n%s", n, out)
	}

	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"close the open wave", []string{"wave", "close", current}, 0, "Wave " + current + " closed."},
		{"close it again", []string{"wave", "close", current}, 1, "wave " + current + " cannot go from closed to closed"},
		{"reopen refused", []string{"wave", "open", current}, 1, "cannot go from closed to open: a closed wave is never reopened"},
		{"reopen the earlier wave refused", []string{"wave", "open", previous}, 1, "cannot go from closed to open"},
		{"open the draft", []string{"wave", "open", respite}, 0, "Wave " + respite + " opened."},
		{"open it again", []string{"wave", "open", respite}, 1, "cannot go from open to open"},
		{"unknown wave", []string{"wave", "close", "nowhere"}, 1, `no wave "nowhere"`},
		{"no id", []string{"wave", "open"}, 2, "needs a wave id"},
		{"no subcommand", []string{"wave"}, 2, "needs a subcommand"},
		{"unknown subcommand", []string{"wave", "delete", current}, 2, "unknown subcommand"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := stemme(t, env, tt.args...)
			if code != tt.code || !strings.Contains(out+errOut, tt.want) {
				t.Fatalf("exit %d (want %d), output %q%q, want %q", code, tt.code, out, errOut, tt.want)
			}
			if code == 1 && strings.Count(strings.TrimSpace(errOut), "\n") > 0 && !onlyLogLines(errOut) {
				t.Errorf("a refusal takes more than one line:\n%s", errOut)
			}
		})
	}
	_, out, _ = stemme(t, env, "wave", "list")
	for _, want := range []string{current + "\tunit\tfjordtun,hjemme_sor\tclosed\n", respite + "\tunit\tlia_avlastning\topen\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("after the changes, wave list lacks %q:\n%s", want, out)
		}
	}
}
