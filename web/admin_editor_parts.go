package web

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/stemme/stemme/surveys"
)

// Adding focus areas, choice lists and choices. Each takes its key (or
// value) and its text in the source language; the other languages are
// translated afterwards like any text. Validate refuses invalid and
// repeated keys, shown at the form.

// focusAreaAdd adds a focus area (innsatsområde).
func (h *handler) focusAreaAdd(c *fiber.Ctx) error {
	key, name := strings.TrimSpace(c.FormValue("key")), editorFormText(c, "name")
	return h.editOverview(c, "focus area add "+key, "#focus-areas", true, func(in *surveys.Instrument) error {
		in.AddFocusArea(key, ownLanguages(in, name))
		return nil
	})
}

// listAdd adds a choice list with its first choice.
func (h *handler) listAdd(c *fiber.Ctx) error {
	name, value := strings.TrimSpace(c.FormValue("name")), strings.TrimSpace(c.FormValue("value"))
	label := editorFormText(c, "label")
	return h.editOverview(c, "list add "+name, "#lists", true, func(in *surveys.Instrument) error {
		in.AddList(name, value, ownLanguages(in, label))
		return nil
	})
}

// choiceAdd appends a choice to a list.
func (h *handler) choiceAdd(c *fiber.Ctx) error {
	list, err := strconv.Atoi(c.Params("list"))
	if err != nil {
		return fiber.ErrNotFound
	}
	value, label := strings.TrimSpace(c.FormValue("value")), editorFormText(c, "label")
	return h.editOverview(c, fmt.Sprintf("list %d choice add %s", list, value), fmt.Sprintf("#list-%d", list), true,
		func(in *surveys.Instrument) error { return in.AddChoice(list, value, ownLanguages(in, label)) })
}
