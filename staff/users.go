package staff

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/stemme/stemme/store"
)

// Role is what a user may do; a user may hold several.
type Role string

// Roles.
const (
	RoleAdmin      Role = "admin"
	RoleAdvisor    Role = "advisor"
	RoleUnitLeader Role = "unit_leader"
	RoleFollowUp   Role = "follow_up"
	RoleCouncil    Role = "council"
)

// Grant is one role, scoped to units where the role is unit-bound.
type Grant struct {
	Role  Role     `bson:"role"`
	Units []string `bson:"units,omitempty"`
}

// User is a member of staff or of the relatives' council.
type User struct {
	ID           string    `bson:"_id"`
	Email        string    `bson:"email"`
	Name         string    `bson:"name"`
	Grants       []Grant   `bson:"grants"`
	PasswordHash string    `bson:"password_hash,omitempty"`
	Active       bool      `bson:"active"`
	Created      time.Time `bson:"created"`
}

const colUsers = "users"

// Store reads and writes staff data.
type Store struct{ db *mongo.Database }

// NewStore returns a staff store on db.
func NewStore(db *mongo.Database) *Store { return &Store{db: db} }

// Indexes lists the indexes the staff domain needs.
func Indexes() []store.Index {
	return []store.Index{
		{Collection: colUsers, Keys: bson.D{{Key: "email", Value: 1}}, Unique: true},
	}
}

// NormalizeEmail lower-cases and checks an address.
func NormalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s {
		return "", fmt.Errorf("staff: %q is not an e-mail address", s)
	}
	return s, nil
}

// CreateUser stores a new user with a hashed password (empty: no password yet).
func (s *Store) CreateUser(ctx context.Context, u User, password string) (User, error) {
	email, err := NormalizeEmail(u.Email)
	if err != nil {
		return User{}, err
	}
	u.Email = email
	if password != "" {
		if len(password) < MinPasswordLength {
			return User{}, fmt.Errorf("staff: password must have at least %d characters", MinPasswordLength)
		}
		if u.PasswordHash, err = HashPassword(password); err != nil {
			return User{}, err
		}
	}
	if u.ID == "" {
		u.ID = newID()
	}
	u.Active = true
	if u.Created.IsZero() {
		u.Created = time.Now().UTC()
	}
	if _, err := s.db.Collection(colUsers).InsertOne(ctx, u); err != nil {
		if store.IsDuplicate(err) {
			return User{}, fmt.Errorf("staff: a user with e-mail %s already exists", email)
		}
		return User{}, fmt.Errorf("staff: unable to create user: %w", err)
	}
	return u, nil
}

// UserByEmail finds a user by address.
func (s *Store) UserByEmail(ctx context.Context, email string) (User, error) {
	var u User
	err := s.db.Collection(colUsers).FindOne(ctx, bson.D{{Key: "email", Value: strings.ToLower(strings.TrimSpace(email))}}).Decode(&u)
	if err != nil {
		return User{}, fmt.Errorf("staff: unable to find user: %w", err)
	}
	return u, nil
}

// CountUsers counts every user.
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	n, err := s.db.Collection(colUsers).CountDocuments(ctx, bson.D{})
	if err != nil {
		return 0, fmt.Errorf("staff: unable to count users: %w", err)
	}
	return n, nil
}

func newID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
