package rest

import (
	"encoding/json"
	"sort"
	"time"

	"github.com/liftoff-chat/liftoff/internal/chat"
)

func (a *API) settingsRoutes() {
	a.handle("GET /api/v1/settings.public", public, a.handleSettingsPublic)
	a.handle("GET /api/v1/settings.oauth", public, a.handleSettingsOAuth)
	a.handle("GET /api/v1/service.configurations", public, a.handleServiceConfigurations)
	a.handle("GET /api/v1/settings", authRequired, a.handleSettingsList)
	a.handle("GET /api/v1/settings/{id}", public, a.handleSettingsGet)
	a.handle("POST /api/v1/settings/{id}", authRequired, a.handleSettingsSet)
}

// settingIDFilter reads the ids a listing is limited to: settings.public's
// _id=a,b and the query={"_id":…} selector that Rocket.Chat's mobile app
// sends (a string or {"$in":[…]}). Other selectors are not supported and
// do not filter. nil means no filter.
func (r *Request) settingIDFilter() (map[string]bool, error) {
	ids := r.queryList("_id")
	if q := r.q("query"); q != "" {
		var sel map[string]json.RawMessage
		if err := json.Unmarshal([]byte(q), &sel); err != nil {
			return nil, chat.Errorf(chat.EInvalid, "error-invalid-query", "Invalid query parameter provided")
		}
		if raw, ok := sel["_id"]; ok {
			var one string
			var in struct {
				In []string `json:"$in"`
			}
			switch {
			case json.Unmarshal(raw, &one) == nil:
				ids = append(ids, one)
			case json.Unmarshal(raw, &in) == nil && in.In != nil:
				ids = append(ids, in.In...)
				if len(in.In) == 0 {
					return map[string]bool{}, nil
				}
			default:
				return nil, chat.Errorf(chat.EInvalid, "error-invalid-query", "Invalid query parameter provided")
			}
		}
	}
	if ids == nil {
		return nil, nil
	}
	set := make(map[string]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	return set, nil
}

// pageSettings filters, sorts (by _id unless sort asks otherwise) and
// cuts one page of settings, and returns the number of matches.
func pageSettings(all []chat.Setting, ids map[string]bool, p pagination) ([]chat.Setting, int) {
	out := all[:0:0]
	for _, st := range all {
		if ids == nil || ids[st.ID] {
			out = append(out, st)
		}
	}
	desc := false
	for _, f := range p.Sort {
		if f.Field == "_id" {
			desc = f.Desc
			break
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if desc {
			return out[i].ID > out[j].ID
		}
		return out[i].ID < out[j].ID
	})
	total := len(out)
	if p.Offset >= len(out) {
		return nil, total
	}
	out = out[p.Offset:]
	if p.Count > 0 && p.Count < len(out) {
		out = out[:p.Count]
	}
	return out, total
}

// shortSetting is the {_id, value} form the listings return.
func shortSetting(st *chat.Setting) obj { return obj{"_id": st.ID, "value": st.Value} }

// handleSettingsPublic answers GET settings.public (anyone; paginated;
// _id or query filter) with {settings:[{_id, value}], count, offset,
// total}.
func (a *API) handleSettingsPublic(r *Request) (obj, error) {
	return a.listSettings(r, func() ([]chat.Setting, error) {
		return a.core.PublicSettings(r.Context(), time.Time{})
	}, false)
}

// handleSettingsList answers GET settings: every visible setting to
// callers with view-privileged-setting, the public ones to others;
// includeDefaults=true adds packageValue.
func (a *API) handleSettingsList(r *Request) (obj, error) {
	return a.listSettings(r, func() ([]chat.Setting, error) {
		return a.core.VisibleSettings(r.Context(), r.Actor, time.Time{})
	}, r.queryBool("includeDefaults"))
}

func (a *API) listSettings(r *Request, load func() ([]chat.Setting, error), withDefaults bool) (obj, error) {
	p, err := r.paginate()
	if err != nil {
		return nil, err
	}
	ids, err := r.settingIDFilter()
	if err != nil {
		return nil, err
	}
	all, err := load()
	if err != nil {
		return nil, err
	}
	items, total := pageSettings(all, ids, p)
	out := make([]obj, 0, len(items))
	for i := range items {
		o := shortSetting(&items[i])
		if withDefaults {
			o["packageValue"] = items[i].PackageValue
		}
		out = append(out, o)
	}
	return paged(obj{"settings": out}, len(out), p, total), nil
}

// handleSettingsOAuth answers GET settings.oauth. Liftoff has no OAuth
// login services yet, so the list is empty.
func (a *API) handleSettingsOAuth(r *Request) (obj, error) {
	return obj{"services": []obj{}}, nil
}

// handleServiceConfigurations answers GET service.configurations, the
// same (empty) list of login services in its older shape.
func (a *API) handleServiceConfigurations(r *Request) (obj, error) {
	return obj{"configurations": []obj{}}, nil
}

// handleSettingsGet answers GET settings/:_id with {_id, value}: public
// settings to anyone (EmbeddedChat reads Message_MaxAllowedSize), private
// ones to callers with view-privileged-setting.
func (a *API) handleSettingsGet(r *Request) (obj, error) {
	st, err := a.core.GetSetting(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return shortSetting(st), nil
}

// handleSettingsSet answers POST settings/:_id {value} (edit-privileged-
// setting) with {}. The value must suit the setting's type.
func (a *API) handleSettingsSet(r *Request) (obj, error) {
	var b map[string]json.RawMessage
	if err := r.decode(&b); err != nil {
		return nil, err
	}
	raw, ok := b["value"]
	if !ok {
		if _, exec := b["execute"]; exec {
			return nil, chat.Errorf(chat.EInvalid, "error-action-not-supported", "Setting actions are not supported")
		}
		return nil, required("value")
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, errInvalidBody()
	}
	if v == nil {
		return nil, chat.ErrInvalidParam("must not be null: 'value'")
	}
	if _, err := a.core.SetSetting(r.Context(), r.Actor, r.PathValue("id"), v); err != nil {
		return nil, err
	}
	return nil, nil
}
