package charts

import "math"

// The heat map is an HTML table (a table is its own text alternative): each
// cell holds its number and a class that shades it. The shades are five
// steps of a light sequential blue, all light enough for dark text at 4.5:1,
// darker meaning a higher index; a suppressed cell is hatched and says so in
// words (the stylesheet defines the classes).

// HeatHidden is the class of a suppressed cell.
const HeatHidden = "heat-hidden"

// HeatStep is one shade of the heat map and the indices it covers.
type HeatStep struct {
	Class    string
	From, To int
}

// HeatSteps are the shades, low to high, for the legend.
var HeatSteps = []HeatStep{
	{"heat-1", 0, 49}, {"heat-2", 50, 59}, {"heat-3", 60, 69}, {"heat-4", 70, 79}, {"heat-5", 80, 100},
}

// HeatClass is the class shading a cell with an index 0–100 ("heat-none"
// when unknown).
func HeatClass(index float64) string {
	if !known(index) {
		return "heat-none"
	}
	v := int(math.Round(clamp(index)))
	for _, s := range HeatSteps {
		if v <= s.To {
			return s.Class
		}
	}
	return HeatSteps[len(HeatSteps)-1].Class
}
