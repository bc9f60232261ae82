package storedoc

import (
	"encoding/json"
	"fmt"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

// SettingOption is one choice of a select setting.
type SettingOption struct {
	Key       string `json:"key"`
	I18nLabel string `json:"i18nLabel,omitempty"`
}

// Setting holds the setting fields that have no column.
type Setting struct {
	Type         string          `json:"type,omitempty"`
	PackageValue json.RawMessage `json:"packageValue,omitempty"`
	Public       bool            `json:"public,omitempty"`
	Hidden       bool            `json:"hidden,omitempty"`
	Group        string          `json:"group,omitempty"`
	Section      string          `json:"section,omitempty"`
	Values       []SettingOption `json:"values,omitempty"`
	I18nLabel    string          `json:"i18nLabel,omitempty"`
}

// NewSetting returns the document of st; a default value that JSON cannot
// encode is an error.
func NewSetting(st *chat.Setting) (Setting, error) {
	d := Setting{Type: st.Type, Public: st.Public, Hidden: st.Hidden, Group: st.Group, Section: st.Section, I18nLabel: st.I18nLabel}
	if st.PackageValue != nil {
		pv, err := EncodeSettingValue(st.PackageValue)
		if err != nil {
			return Setting{}, err
		}
		d.PackageValue = pv
	}
	for _, o := range st.Values {
		d.Values = append(d.Values, SettingOption(o))
	}
	return d, nil
}

// Apply copies the document's fields into st; a stored default that is not
// valid JSON is an error.
func (d *Setting) Apply(st *chat.Setting) error {
	pv, err := DecodeSettingValue(d.PackageValue)
	if err != nil {
		return err
	}
	st.PackageValue = pv
	st.Type, st.Public, st.Hidden, st.Group, st.Section, st.I18nLabel = d.Type, d.Public, d.Hidden, d.Group, d.Section, d.I18nLabel
	st.Values = nil
	for _, o := range d.Values {
		st.Values = append(st.Values, chat.SettingOption(o))
	}
	return nil
}

// EncodeSettingValue encodes a setting's value (or default) as JSON, null
// included.
func EncodeSettingValue(v any) (json.RawMessage, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode setting value: %w", err)
	}
	return b, nil
}

// DecodeSettingValue decodes a value written by EncodeSettingValue; empty
// input is nil. Values read back as JSON decodes them: numbers as float64,
// objects as map[string]any.
func DecodeSettingValue(b []byte) (any, error) {
	if len(b) == 0 {
		return nil, nil
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("decode setting value: %w", err)
	}
	return v, nil
}
