package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/liftoff-chat/liftoff/internal/chat"
	"github.com/liftoff-chat/liftoff/internal/store/storedoc"
)

const teamColumns = `t.id, t.name, t.type, t.rid, t.created_by, t.created_at, t.updated_at`

func scanTeam(sc scanner) (*chat.Team, error) {
	var (
		t                chat.Team
		createdBy        string
		created, updated int64
	)
	if err := sc.Scan(&t.ID, &t.Name, &t.Type, &t.RoomID, &createdBy, &created, &updated); err != nil {
		return nil, err
	}
	t.CreatedAt, t.UpdatedAt = fromMS(created), fromMS(updated)
	var err error
	t.CreatedBy, err = fromUserRefText(createdBy)
	return &t, err
}

func collectTeams(rows *sql.Rows, err error) ([]chat.Team, error) {
	return collect(rows, err, scanTeam)
}

func teamConflict(t *chat.Team, err error) error {
	if isUnique(err, "teams.name") {
		return conflict("team-name-already-exists", "A team with name '"+t.Name+"' exists", err)
	}
	return conflict("error-duplicate", "team "+t.ID+" already exists", err)
}

// CreateTeam inserts t; a taken id or name is EConflict.
func (s *Store) CreateTeam(ctx context.Context, t *chat.Team) error {
	_, err := s.exec(ctx, `INSERT INTO teams (id, name, search, type, rid, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.Name, fold(t.Name), t.Type, t.RoomID, userRefText(t.CreatedBy), ms(t.CreatedAt), ms(t.UpdatedAt))
	switch {
	case isUnique(err, ""):
		return teamConflict(t, err)
	case err != nil:
		return fmt.Errorf("create team: %w", err)
	}
	return nil
}

// UpdateTeam writes every field of t.
func (s *Store) UpdateTeam(ctx context.Context, t *chat.Team) error {
	res, err := s.exec(ctx, `UPDATE teams SET name = ?, search = ?, type = ?, rid = ?, created_by = ?,
		created_at = ?, updated_at = ? WHERE id = ?`,
		t.Name, fold(t.Name), t.Type, t.RoomID, userRefText(t.CreatedBy), ms(t.CreatedAt), ms(t.UpdatedAt), t.ID)
	switch {
	case isUnique(err, ""):
		return teamConflict(t, err)
	case err != nil:
		return fmt.Errorf("update team: %w", err)
	}
	return mustAffect(res, "team")
}

// DeleteTeam removes the team and its memberships; its rooms stay.
func (s *Store) DeleteTeam(ctx context.Context, id string) error {
	res, err := s.exec(ctx, `DELETE FROM teams WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete team: %w", err)
	}
	return mustAffect(res, "team")
}

// TeamByID returns one team.
func (s *Store) TeamByID(ctx context.Context, id string) (*chat.Team, error) {
	t, err := scanTeam(s.rd().QueryRowContext(ctx, `SELECT `+teamColumns+` FROM teams t WHERE t.id = ?`, id))
	if err != nil {
		return nil, notFound(err, "team", "team by id")
	}
	return t, nil
}

// TeamByName returns the team with that exact name.
func (s *Store) TeamByName(ctx context.Context, name string) (*chat.Team, error) {
	t, err := scanTeam(s.rd().QueryRowContext(ctx, `SELECT `+teamColumns+` FROM teams t WHERE t.name = ?`, name))
	if err != nil {
		return nil, notFound(err, "team", "team by name")
	}
	return t, nil
}

// TeamByRoomID returns the team whose main room is roomID.
func (s *Store) TeamByRoomID(ctx context.Context, roomID string) (*chat.Team, error) {
	t, err := scanTeam(s.rd().QueryRowContext(ctx, `SELECT `+teamColumns+` FROM teams t WHERE t.rid = ?
		ORDER BY t.id LIMIT 1`, roomID))
	if err != nil {
		return nil, notFound(err, "team", "team by room")
	}
	return t, nil
}

// teamSortColumns maps the sort fields of Rocket.Chat's teams endpoints.
var teamSortColumns = map[string]string{
	"name":       "t.name COLLATE NOCASE",
	"createdAt":  "t.created_at",
	"ts":         "t.created_at",
	"_updatedAt": "t.updated_at",
}

// ListTeams returns a page of teams, by name unless f.Sort says otherwise,
// and the number of matches. Of the room filter it applies Text (the team
// name), IDs (team ids) and Types (c for public teams, p for private ones).
func (s *Store) ListTeams(ctx context.Context, f chat.RoomFilter) ([]chat.Team, int, error) {
	order, err := storedoc.OrderBy(f.Sort, teamSortColumns, []chat.SortField{{Field: "name"}}, "t.id")
	if err != nil {
		return nil, 0, err
	}
	w := &where{}
	if f.Text != "" {
		w.add("instr(t.search, ?) > 0", fold(f.Text))
	}
	if len(f.IDs) > 0 {
		w.in("t.id", f.IDs)
	}
	if len(f.Types) > 0 {
		var types []string
		for _, rt := range f.Types {
			switch rt {
			case chat.RoomChannel:
				types = append(types, "0")
			case chat.RoomGroup:
				types = append(types, "1")
			}
		}
		w.add("t.type IN (SELECT value FROM json_each(?))", "["+strings.Join(types, ",")+"]")
	}
	var (
		teams []chat.Team
		total int
	)
	err = s.read(ctx, func(q querier) error {
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM teams t`+w.String(), w.args...).Scan(&total); err != nil {
			return err
		}
		teams, err = collectTeams(q.QueryContext(ctx, `SELECT `+teamColumns+` FROM teams t`+w.String()+order+page(f.Offset, f.Limit), w.args...))
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("list teams: %w", err)
	}
	return teams, total, nil
}

const teamMemberColumns = `team_id, user_id, username, name, roles, created_by, created_at`

func scanTeamMember(sc scanner) (*chat.TeamMember, error) {
	var (
		m                chat.TeamMember
		roles, createdBy string
		created          int64
	)
	if err := sc.Scan(&m.TeamID, &m.User.ID, &m.User.Username, &m.User.Name, &roles, &createdBy, &created); err != nil {
		return nil, err
	}
	m.CreatedAt = fromMS(created)
	if err := fromJSON(roles, &m.Roles); err != nil {
		return nil, err
	}
	var err error
	m.CreatedBy, err = fromUserRefText(createdBy)
	return &m, err
}

// AddTeamMember inserts a membership; the user already in the team is
// EConflict, an unknown team ENotFound.
func (s *Store) AddTeamMember(ctx context.Context, m *chat.TeamMember) error {
	_, err := s.exec(ctx, `INSERT INTO team_members (`+teamMemberColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		m.TeamID, m.User.ID, m.User.Username, m.User.Name, stringsText(m.Roles), userRefText(m.CreatedBy), ms(m.CreatedAt))
	switch {
	case isUnique(err, ""):
		return conflict("error-duplicate", "user "+m.User.ID+" is already in team "+m.TeamID, err)
	case isForeignKey(err):
		return chat.ErrNotFound("team")
	case err != nil:
		return fmt.Errorf("add team member: %w", err)
	}
	return nil
}

// RemoveTeamMember removes a membership; a missing one is ENotFound.
func (s *Store) RemoveTeamMember(ctx context.Context, teamID, userID string) error {
	res, err := s.exec(ctx, `DELETE FROM team_members WHERE team_id = ? AND user_id = ?`, teamID, userID)
	if err != nil {
		return fmt.Errorf("remove team member: %w", err)
	}
	return mustAffect(res, "team member")
}

// TeamMember returns one membership.
func (s *Store) TeamMember(ctx context.Context, teamID, userID string) (*chat.TeamMember, error) {
	m, err := scanTeamMember(s.rd().QueryRowContext(ctx, `SELECT `+teamMemberColumns+` FROM team_members
		WHERE team_id = ? AND user_id = ?`, teamID, userID))
	if err != nil {
		return nil, notFound(err, "team member", "team member")
	}
	return m, nil
}

// TeamMembers returns a page of a team's members, oldest first, and their
// number. limit 0 means no limit.
func (s *Store) TeamMembers(ctx context.Context, teamID string, offset, limit int) ([]chat.TeamMember, int, error) {
	var (
		out   []chat.TeamMember
		total int
	)
	err := s.read(ctx, func(q querier) error {
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM team_members WHERE team_id = ?`, teamID).Scan(&total); err != nil {
			return err
		}
		rows, err := q.QueryContext(ctx, `SELECT `+teamMemberColumns+` FROM team_members WHERE team_id = ?
			ORDER BY created_at, user_id`+page(offset, limit), teamID)
		out, err = collect(rows, err, scanTeamMember)
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("team members: %w", err)
	}
	return out, total, nil
}

// TeamsOfUser returns the teams the user is a member of, by name.
func (s *Store) TeamsOfUser(ctx context.Context, userID string) ([]chat.Team, error) {
	teams, err := collectTeams(s.rd().QueryContext(ctx, `SELECT `+teamColumns+` FROM team_members tm
		JOIN teams t ON t.id = tm.team_id WHERE tm.user_id = ? ORDER BY t.name, t.id`, userID))
	if err != nil {
		return nil, fmt.Errorf("teams of user: %w", err)
	}
	return teams, nil
}
