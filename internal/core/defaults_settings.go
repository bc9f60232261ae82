package core

import "github.com/liftoff-chat/liftoff/internal/chat"

// defaultSettings returns the Rocket.Chat settings Liftoff seeds on first
// start: the ones it honours and the public ones clients read (the web and
// mobile apps, EmbeddedChat, the SDKs). IDs, types, defaults, public flags,
// groups, sections, select values and i18n labels follow Rocket.Chat's
// settings registration (apps/meteor/server/settings/*.ts and the modules
// that register their own). A handful of IDs that Rocket.Chat has since
// retired but older clients still read are kept at their last default; they
// are marked "legacy" where they are listed.
//
// Values are only bool, int or string. Settings whose values are arrays,
// objects or dates in Rocket.Chat (multiSelect, asset, date) are left out.
//
// Value and PackageValue both hold the default; Order is the position in the
// returned slice; I18nLabel defaults to the ID, as in Rocket.Chat.
func defaultSettings() []chat.Setting {
	var all []chat.Setting
	for _, group := range [][]chat.Setting{
		generalDefaultSettings(),
		accountsDefaultSettings(),
		messageDefaultSettings(),
		fileUploadDefaultSettings(),
		layoutDefaultSettings(),
		serviceDefaultSettings(),
	} {
		all = append(all, group...)
	}
	for i := range all {
		st := &all[i]
		st.PackageValue = st.Value
		if st.I18nLabel == "" {
			st.I18nLabel = st.ID
		}
		st.Order = i
	}
	return all
}

// settingsIn puts settings in a group and section, so that the lists keep
// to one line per setting.
func settingsIn(group, section string, ss ...chat.Setting) []chat.Setting {
	for i := range ss {
		ss[i].Group = group
		ss[i].Section = section
	}
	return ss
}

// settingOptions builds a select's choices from key, label pairs.
func settingOptions(keyLabel ...string) []chat.SettingOption {
	opts := make([]chat.SettingOption, 0, len(keyLabel)/2)
	for i := 0; i+1 < len(keyLabel); i += 2 {
		opts = append(opts, chat.SettingOption{Key: keyLabel[i], I18nLabel: keyLabel[i+1]})
	}
	return opts
}

// joinSettings concatenates setting lists.
func joinSettings(lists ...[]chat.Setting) []chat.Setting {
	var out []chat.Setting
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}
