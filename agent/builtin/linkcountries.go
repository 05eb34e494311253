package builtin

import (
	"strings"

	"github.com/analyzerhq/analyzer/duck"
)

// Sports tables write a competitor's country as a code after the name
// ("Alexander Kristoff (NOR)") or alone in a column ("NOR"); people ask
// "how many cyclists are from norway", "the german riders". A country
// named in the question (or its adjective) that no value holds is read as
// the cells carrying its code: in brackets after a name, or as the whole
// cell, in exactly one column. Codes are the IOC's (also FIFA's where they
// differ), the ones sports results use.

// countryCodes maps a country's name to its codes, upper case.
var countryCodes = map[string][]string{
	"afghanistan": {"AFG"}, "albania": {"ALB"}, "algeria": {"ALG"}, "andorra": {"AND"}, "angola": {"ANG"},
	"argentina": {"ARG"}, "armenia": {"ARM"}, "australia": {"AUS"}, "austria": {"AUT"}, "azerbaijan": {"AZE"},
	"bahamas": {"BAH"}, "bahrain": {"BRN"}, "bangladesh": {"BAN"}, "barbados": {"BAR"}, "belarus": {"BLR"},
	"belgium": {"BEL"}, "bermuda": {"BER"}, "bolivia": {"BOL"}, "bosnia and herzegovina": {"BIH"},
	"botswana": {"BOT"}, "brazil": {"BRA"}, "bulgaria": {"BUL"}, "burundi": {"BDI"}, "cameroon": {"CMR"},
	"canada": {"CAN"}, "chile": {"CHI"}, "china": {"CHN"}, "colombia": {"COL"}, "costa rica": {"CRC"},
	"croatia": {"CRO"}, "cuba": {"CUB"}, "cyprus": {"CYP"}, "czech republic": {"CZE"},
	"czechoslovakia": {"TCH"}, "denmark": {"DEN"}, "dominican republic": {"DOM"}, "ecuador": {"ECU"},
	"egypt": {"EGY"}, "el salvador": {"ESA"}, "england": {"ENG"}, "eritrea": {"ERI"}, "estonia": {"EST"},
	"ethiopia": {"ETH"}, "fiji": {"FIJ"}, "finland": {"FIN"}, "france": {"FRA"}, "georgia": {"GEO"},
	"germany": {"GER"}, "west germany": {"FRG"}, "east germany": {"GDR"}, "ghana": {"GHA"},
	"great britain": {"GBR"}, "britain": {"GBR"}, "united kingdom": {"GBR"}, "greece": {"GRE"},
	"guatemala": {"GUA"}, "haiti": {"HAI"}, "honduras": {"HON"}, "hong kong": {"HKG"}, "hungary": {"HUN"},
	"iceland": {"ISL"}, "india": {"IND"}, "indonesia": {"INA"}, "iran": {"IRI", "IRN"}, "iraq": {"IRQ"},
	"ireland": {"IRL"}, "israel": {"ISR"}, "italy": {"ITA"}, "ivory coast": {"CIV"}, "jamaica": {"JAM"},
	"japan": {"JPN"}, "jordan": {"JOR"}, "kazakhstan": {"KAZ"}, "kenya": {"KEN"}, "kuwait": {"KUW"},
	"kyrgyzstan": {"KGZ"}, "latvia": {"LAT"}, "lebanon": {"LIB"}, "liechtenstein": {"LIE"},
	"lithuania": {"LTU"}, "luxembourg": {"LUX"}, "malaysia": {"MAS"}, "mali": {"MLI"}, "malta": {"MLT"},
	"mexico": {"MEX"}, "moldova": {"MDA"}, "monaco": {"MON"}, "mongolia": {"MGL"}, "montenegro": {"MNE"},
	"morocco": {"MAR"}, "mozambique": {"MOZ"}, "namibia": {"NAM"}, "netherlands": {"NED"},
	"holland": {"NED"}, "new zealand": {"NZL"}, "nicaragua": {"NCA"}, "niger": {"NIG"}, "nigeria": {"NGR"},
	"north korea": {"PRK"}, "northern ireland": {"NIR"}, "norway": {"NOR"}, "pakistan": {"PAK"},
	"panama": {"PAN"}, "paraguay": {"PAR"}, "peru": {"PER"}, "philippines": {"PHI"}, "poland": {"POL"},
	"portugal": {"POR"}, "puerto rico": {"PUR"}, "qatar": {"QAT"}, "romania": {"ROU", "ROM"},
	"russia": {"RUS"}, "saudi arabia": {"KSA"}, "scotland": {"SCO"}, "senegal": {"SEN"}, "serbia": {"SRB"},
	"singapore": {"SIN", "SGP"}, "slovakia": {"SVK"}, "slovenia": {"SLO"}, "south africa": {"RSA"},
	"south korea": {"KOR"}, "korea": {"KOR"}, "soviet union": {"URS"}, "spain": {"ESP"},
	"sri lanka": {"SRI"}, "sudan": {"SUD"}, "sweden": {"SWE"}, "switzerland": {"SUI"}, "syria": {"SYR"},
	"taiwan": {"TPE"}, "chinese taipei": {"TPE"}, "tajikistan": {"TJK"}, "tanzania": {"TAN"},
	"thailand": {"THA"}, "trinidad and tobago": {"TTO"}, "tunisia": {"TUN"}, "turkey": {"TUR"},
	"turkmenistan": {"TKM"}, "uganda": {"UGA"}, "ukraine": {"UKR"}, "united states": {"USA"},
	"usa": {"USA"}, "america": {"USA"}, "uruguay": {"URU"}, "uzbekistan": {"UZB"}, "venezuela": {"VEN"},
	"vietnam": {"VIE"}, "wales": {"WAL"}, "yugoslavia": {"YUG"}, "zambia": {"ZAM"}, "zimbabwe": {"ZIM"},
}

// demonyms name a country by its adjective ("german riders").
var demonyms = map[string]string{
	"american": "united states", "argentine": "argentina", "argentinian": "argentina", "australian": "australia",
	"austrian": "austria", "belgian": "belgium", "brazilian": "brazil", "british": "great britain",
	"bulgarian": "bulgaria", "canadian": "canada", "chilean": "chile", "chinese": "china",
	"colombian": "colombia", "croatian": "croatia", "cuban": "cuba", "czech": "czech republic",
	"danish": "denmark", "dutch": "netherlands", "egyptian": "egypt", "english": "england",
	"estonian": "estonia", "ethiopian": "ethiopia", "finnish": "finland", "french": "france",
	"german": "germany", "greek": "greece", "hungarian": "hungary", "indian": "india", "irish": "ireland",
	"italian": "italy", "jamaican": "jamaica", "japanese": "japan", "kenyan": "kenya", "latvian": "latvia",
	"lithuanian": "lithuania", "mexican": "mexico", "norwegian": "norway", "polish": "poland",
	"portuguese": "portugal", "romanian": "romania", "russian": "russia", "scottish": "scotland",
	"serbian": "serbia", "slovak": "slovakia", "slovenian": "slovenia", "spanish": "spain", "swedish": "sweden",
	"swiss": "switzerland", "turkish": "turkey", "ukrainian": "ukraine", "welsh": "wales",
}

// maxCountryWords is the longest country name above, in words.
const maxCountryWords = 3

func (l *linked) linkCountryCodes(idx *duck.ValueIndex) {
	if idx == nil {
		return
	}
	for i := 0; i < len(l.words); i++ {
		for n := maxCountryWords; n >= 1; n-- {
			if i+n > len(l.words) {
				continue
			}
			var parts []string
			free := true
			for k := i; k < i+n; k++ {
				w := l.words[k]
				free = free && w.col == nil && w.val == nil && !w.isNum
				parts = append(parts, w.w)
			}
			name := strings.Join(parts, " ")
			if d, ok := demonyms[name]; ok {
				name = d
			}
			codes := countryCodes[name]
			if !free || codes == nil {
				continue
			}
			col, vals := countryCells(l.s, idx, codes)
			if col == nil {
				continue
			}
			v := &valueLink{col: col, values: vals, from: i, to: i + n, byCol: map[*column][]string{col: vals}, cands: []*column{col},
				code: codes[0]}
			l.vals = append(l.vals, v)
			for k := i; k < i+n; k++ {
				l.words[k].val = v
			}
			i += n - 1
			break
		}
	}
	l.sortVals()
}

// countryCells finds the one text column whose cells carry one of the
// codes, in brackets after a name or alone, with those cells; nil when no
// column or two do, or when a column's values are not all indexed (a
// count over part of them would be wrong).
func countryCells(s *schema, idx *duck.ValueIndex, codes []string) (*column, []string) {
	var col *column
	var vals []string
	for _, ic := range idx.Columns {
		c := s.column(ic.Name)
		if c == nil || c.kind != duck.KindText {
			continue
		}
		var got []string
		for _, vc := range ic.Values {
			v, ok := vc.Value.(string)
			if ok && carriesCode(v, codes) {
				got = append(got, v)
			}
		}
		if len(got) == 0 {
			continue
		}
		if col != nil || !ic.Complete || len(got) > maxPrefixValues {
			return nil, nil
		}
		col, vals = c, got
	}
	return col, vals
}

// carriesCode reports a cell that is one of the codes, or ends with one in
// brackets ("Alexander Kristoff (NOR)", "NOR").
func carriesCode(v string, codes []string) bool {
	v = strings.TrimSpace(v)
	for _, c := range codes {
		if v == c || strings.HasSuffix(v, "("+c+")") {
			return true
		}
	}
	return false
}
