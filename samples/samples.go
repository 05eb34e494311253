// Package samples holds the small, openly licensed datasets that ship in
// the binary, so the app can be tried without a file of one's own. Each is
// a CSV ingested like any upload.
package samples

import (
	"embed"
	"io/fs"
)

//go:embed data/*.csv
var files embed.FS

// Sample describes one dataset.
type Sample struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Filename    string `json:"filename"`
	Rows        int    `json:"rows"`
	Columns     int    `json:"columns"`
	SizeBytes   int64  `json:"size_bytes"`
	// Source and License credit where the data comes from (also in the
	// README).
	Source    string `json:"source"`
	SourceURL string `json:"source_url"`
	License   string `json:"license"`
	// Questions are ones worth asking of it, offered with it.
	Questions []string `json:"questions"`
}

var all = []Sample{
	{
		ID: "seattle-weather", Title: "Seattle weather",
		Description: "Daily precipitation, temperatures, wind and weather in Seattle, 2012–2015.",
		Filename:    "seattle-weather.csv", Rows: 1461, Columns: 6,
		Source: "NOAA National Climatic Data Center, via the vega-datasets package", SourceURL: "https://www.ncdc.noaa.gov/cdo-web/datatools/records",
		License:   "U.S. Government work (public domain)",
		Questions: []string{"Total precipitation per month", "How many days of each weather type per year?"},
	},
	{
		ID: "penguins", Title: "Palmer penguins",
		Description: "Beak, flipper and body measurements of 344 penguins of three species on three islands.",
		Filename:    "penguins.csv", Rows: 344, Columns: 7,
		Source: "Dr. Kristen Gorman and the Palmer Station Antarctica LTER (palmerpenguins), via the vega-datasets package", SourceURL: "https://github.com/allisonhorst/palmerpenguins",
		License:   "CC0 1.0",
		Questions: []string{"Average body mass by species", "Is flipper length correlated with body mass?"},
	},
	{
		ID: "gapminder", Title: "Gapminder",
		Description: "Life expectancy, population and fertility of 62 countries every five years, 1955–2005.",
		Filename:    "gapminder.csv", Rows: 682, Columns: 6,
		Source: "Gapminder Foundation, via the vega-datasets package", SourceURL: "https://www.gapminder.org/data/",
		License:   "CC BY 4.0",
		Questions: []string{"Life expectancy per year", "Which countries had the highest fertility in 2005?"},
	},
}

// List returns the samples, in the order they are offered.
func List() []Sample {
	out := make([]Sample, len(all))
	for i, s := range all {
		if info, err := fs.Stat(files, "data/"+s.Filename); err == nil {
			s.SizeBytes = info.Size()
		}
		out[i] = s
	}
	return out
}

// Get returns the sample with the id and its contents; ok is false for an
// unknown id.
func Get(id string) (Sample, []byte, bool) {
	for _, s := range List() {
		if s.ID == id {
			b, err := files.ReadFile("data/" + s.Filename)
			return s, b, err == nil
		}
	}
	return Sample{}, nil, false
}
