package builtin

import "testing"

const lakesCSV = `Name,Canton,Area in km²,Elevation m,max. depth in meter
Lake Geneva,Geneva,580.03,372.0,310
Lake Constance,Thurgau,536.00,395.6,252
Lago Maggiore,Ticino,210.12,193.5,372
Lake Neuchâtel,Vaud,215.20,429.4,152
Lac des Dix,Valais,3.65,2365,227
Lake Zurich,Zurich,88.17,405.9,136
`

const locomotivesCSV = `Class,Builder,Weight (t),Length (m)
Re 465,SLM,84,18.5
Ae 6/6,SLM,120,18.4
Re 460,SLM,84,18.6
Ee 3/3,SLM,45,9.5
`

const peaksCSV = `Peak,Height (m),Height (ft)
Mount Whitney,4421,14505
Mount Williamson,4373,14379
Mount Keith,4252,13950
`

func TestMeasureAdjectives(t *testing.T) {
	runShapeCases(t, []shapeCase{
		// The adjective names the one column of its quantity; the noun of
		// the rows ("lake": a third of the names hold it) asks for a row.
		{lakesCSV, "lakes.csv", "what is the deepest lake?", "Lago Maggiore"},
		{lakesCSV, "lakes.csv", "which lake is the deepest", "Lago Maggiore"},
		{lakesCSV, "lakes.csv", "what is the highest lake", "Lac des Dix"},
		{lakesCSV, "lakes.csv", "what is the largest lake", "Lake Geneva"},
		{lakesCSV, "lakes.csv", "how many lakes are there", "6"},
		{locomotivesCSV, "locomotives.csv", "which class is the heaviest", "Ae 6/6"},
		{locomotivesCSV, "locomotives.csv", "which class is the longest", "Re 460"},
		// Two columns of the quantity: which is not said.
		{peaksCSV, "summits.csv", "which peak is the tallest", ""},
		// A column named wins over the adjective.
		{lakesCSV, "lakes.csv", "which lake has the largest area", "Lake Geneva"},
	})
}

const skylineCSV = `Name,Street address,Height ft (m),Floors
Globe Building,4th Street South,157 (48),8
Lumber Exchange Building,10 5th Street South,165 (50),12
Metropolitan Building,308 2nd Avenue South,258 (79),12
Foshay Tower,821 Marquette Avenue,447 (136),32
`

const lakesDepthCSV = `Lake,Area (km2),Max. depth (m)
Lake Albigna,1.1,108
Oeschinen Lake,1.1,56
Lake Lucerne,114,214
`

// A comparative adjective names the quantity it compares, as the
// superlative does: "which is taller, A or B" compares heights.
func TestComparativeAdjectives(t *testing.T) {
	runShapeCases(t, []shapeCase{
		{skylineCSV, "skyline.csv", "is the metropolitan building or the lumber exchange building taller?", "Metropolitan Building"},
		{skylineCSV, "skyline.csv", "which is taller, globe building or foshay tower?", "Foshay Tower"},
		{skylineCSV, "skyline.csv", "which is shorter, globe building or foshay tower?", "Globe Building"},
		{skylineCSV, "skyline.csv", "which has more floors, globe building or foshay tower?", "Foshay Tower"},
		{lakesDepthCSV, "swiss_lakes_depth.csv", "which is deeper, lake albigna or oeschinen lake?", "Lake Albigna"},
		// Nothing says what "larger" measures here (one row each): no
		// count of rows stands in for it.
		{skylineCSV, "skyline.csv", "which is larger, globe building or foshay tower?", ""},
		{skylineCSV, "skyline.csv", "which is wider, globe building or foshay tower?", ""},
	})
}
