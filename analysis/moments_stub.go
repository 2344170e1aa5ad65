package analysis

// Moments is a stand-in until stats.go lands.
type Moments struct {
	N     int64   `bson:"n" json:"n"`
	Sum   float64 `bson:"sum" json:"sum"`
	SumSq float64 `bson:"sumsq" json:"sumsq"`
}

// Add counts one value.
func (m *Moments) Add(x float64) { m.N++; m.Sum += x; m.SumSq += x * x }
