package markdown

import (
	"strings"
	"time"
)

// Options mirrors the options object of @rocket.chat/message-parser 0.32.0.
// The zero value parses like the npm parser called without options.
type Options struct {
	// Colors turns "color:#rgb" (and #rgba, #rrggbb, #rrggbbaa) into COLOR.
	Colors bool
	// Emoticons turns text emoticons such as ":)" into EMOJI.
	Emoticons bool
	// Katex enables KATEX and INLINE_KATEX; nil disables both syntaxes.
	Katex *KatexOptions
	// CustomDomains are host names (and their subdomains) that autolink even
	// though they are not under a public suffix, e.g. an intranet's "corp".
	CustomDomains []string

	// Now replaces the wall clock, which the reference parser reads to date
	// time-of-day timestamps such as <t:10:00+01:00>. Nil means time.Now.
	Now func() time.Time
	// Location is the zone of timestamps written without an offset; the
	// reference parser uses the process's zone, so nil means time.Local.
	Location *time.Location
}

// KatexOptions selects the KaTeX delimiters, as the npm option "katex" does.
type KatexOptions struct {
	// DollarSyntax enables $$…$$ blocks and $…$ inline formulas.
	DollarSyntax bool
	// ParenthesisSyntax enables \[…\] blocks and \(…\) inline formulas.
	ParenthesisSyntax bool
}

// Rocket.Chat setting ids read by OptionsFromSettings, and their defaults.
const (
	SettingHexColorPreview  = "HexColorPreview_Enabled"       // default true
	SettingKatexEnabled     = "Katex_Enabled"                 // default true
	SettingKatexDollar      = "Katex_Dollar_Syntax"           // default false
	SettingKatexParenthesis = "Katex_Parenthesis_Syntax"      // default true
	SettingCustomDomains    = "Message_CustomDomain_AutoLink" // default ""
)

var settingDefaults = map[string]any{
	SettingHexColorPreview:  true,
	SettingKatexEnabled:     true,
	SettingKatexDollar:      false,
	SettingKatexParenthesis: true,
	SettingCustomDomains:    "",
}

// OptionsFromSettings builds the options Rocket.Chat's server passes to the
// parser when it saves a message: colors follow HexColorPreview_Enabled,
// emoticons are always on, custom domains come from the comma-separated
// Message_CustomDomain_AutoLink, and KaTeX is configured only when
// Katex_Enabled is set. get reports a setting's value and whether it exists;
// a missing setting takes Rocket.Chat's default. Values are tested for
// truthiness the way JavaScript does, since that is how the server reads them.
func OptionsFromSettings(get func(id string) (any, bool)) Options {
	value := func(id string) any {
		if get != nil {
			if v, ok := get(id); ok {
				return v
			}
		}
		return settingDefaults[id]
	}
	o := Options{
		Colors:    truthy(value(SettingHexColorPreview)),
		Emoticons: true,
	}
	if s, ok := value(SettingCustomDomains).(string); ok && s != "" {
		for _, d := range strings.Split(s, ",") {
			o.CustomDomains = append(o.CustomDomains, jsTrim(d))
		}
	}
	if truthy(value(SettingKatexEnabled)) {
		o.Katex = &KatexOptions{
			DollarSyntax:      truthy(value(SettingKatexDollar)),
			ParenthesisSyntax: truthy(value(SettingKatexParenthesis)),
		}
	}
	return o
}

// truthy reports whether v is truthy in JavaScript's sense.
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case int:
		return x != 0
	case int32:
		return x != 0
	case int64:
		return x != 0
	case uint:
		return x != 0
	case uint64:
		return x != 0
	case float32:
		return x != 0 && x == x
	case float64:
		return x != 0 && x == x
	default:
		return true
	}
}
