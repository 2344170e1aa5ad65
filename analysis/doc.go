// Package analysis counts accepted answers into tallies (Tallier: one
// writer, crash-safe by a journal and versioned tallies), reviews free text
// before anyone reads it, and turns tallies into the numbers Stemme shows: per-item and
// per-focus-area statistics, comparisons between waves and between a unit and
// the rest of its municipality, and the suppression of small groups that every
// view, the API and every export goes through.
//
// The statistics core is pure: it works on running sums (Moments) that a
// tally keeps per variable, never on raw answers, so a dashboard costs the
// same whatever the number of responses. The conventions follow Norwegian
// practice (KS bedrekommune) as set out in the design guide:
//
//   - Items are answered on a 1–6 scale plus "Vet ikke / ikke aktuelt". A
//     "vet ikke" answer counts as answered (in n and in the distribution) but
//     is not added to the item's Moments, so it never moves a mean.
//   - Per item: n, distribution, mean, 95% confidence interval (Student's t),
//     index 0–100 = (mean−1)/5·100 and the share answering 5 or 6.
//   - A focus area's index is computed per respondent (the mean of that
//     respondent's items in the area) and then averaged; the tally keeps Σ and
//     Σ² of the per-respondent means, so intervals and Welch's t-test come
//     from the tally alone.
//   - Comparisons use Welch's unequal-variances t-test. A unit is compared
//     with the rest of the municipality (Moments.Without), not with the
//     municipality that contains it: those are not independent samples.
//
// Suppression (Suppress) decides which cells of a set of additive
// breakdowns (Lines: a total and its parts) are hidden, by three rules
// applied until nothing changes, with threshold k (ClampThreshold):
//
//  1. Primary: a cell with 0 < n < k is hidden.
//  2. Lines: in a line whose total is shown, a reader gets the aggregate of
//     the hidden parts as total − Σ shown parts. If that is one cell, a
//     group of fewer than k respondents, or cells of one respondent each
//     (as many respondents as cells, and every hidden cell has at least
//     one), the smallest shown part with n > 0 (ties by id) is hidden too;
//     if no such part is left, the total is. A line whose total is hidden
//     needs nothing more on its own.
//  3. Combinations: with several lines over the same cells (a units ×
//     segment table with both margins) a hidden cell can be determined by
//     combining lines even when every single line is safe. A hidden cell is
//     determined when its unit vector lies in the row space of the line
//     equations restricted to hidden cells (solved exactly); then the
//     smallest shown part of its lines (failing that their totals, then the
//     lines one hidden cell further) is hidden, until none is determined.
//
// A hidden cell hides everything about its group: n, mean, interval, index,
// distribution, share positive and free text. The caller must not show or
// export any of these for a hidden cell, and must not publish any figure
// that is not a cell of the lines given to Suppress (a total or breakdown
// left out of the lines is not protected against).
//
// Cells with n == 0 are shown as 0 and never hidden to protect another
// cell. An empty group has no answers to reveal: no mean, no distribution,
// no free text. Hiding it as a complement would protect nothing: the
// aggregate a reader isolates would still be exactly the small group's, as
// the empty cell adds nothing to it; a reader merely could not be sure of
// that. So zeros count as known values in rules 2 and 3, and complements are
// always real groups of at least one respondent. What a shown zero does
// reveal is that nobody in that group answered.
//
// Limits: exact linear derivation is guarded against, bounds only within a
// line (rule 2). Aggregates of fewer than k, or of cells of one respondent
// each, that only a combination of several lines isolates are not searched
// for.
package analysis
