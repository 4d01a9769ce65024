# Functions over the session's tool-call history (input.session.history, oldest first) for
# policy authors: tool patterns, labels seen, ordering and counts in time windows.
#
# "Executed" steps are those Arbiter allowed or sent to a human (ask): their effects may
# exist. A denied step never ran, so it read nothing. Client-sent entries without a decision
# count as executed (the strict reading). Counting helpers say which of the two they use.
package lib.sequence

import data.lib.catalog

default history := []

history := input.session.history if is_array(input.session.history)

default now := 0

now := input.now_ns if is_number(input.now_ns)

now := time.now_ns() if not is_number(input.now_ns)

executed(h) if {
	h.decision in {"allow", "ask"}
} else := true if {
	not h.decision
}

# Per-step facts, computed once per decision and indexed by history position (arrays, so a
# lookup is O(1)): "server/tool" (null when the step has no tool name), catalog labels, and
# the positions of executed steps. Every helper below reads these instead of re-deriving
# them per step.
history_ids := [id | some h in history; id := step_id(h)]

# (takes the step, not h.tool: a step without a tool must still yield null, never drop out and
# shift every later position)
step_id(h) := id if {
	id := tool_id(h.tool)
} else := null

history_labels := [ls | some i, h in history; ls := step_labels(history_ids[i], h)]

# Listed tools through the catalog index, the rest (server defaults, unknown tools) the slow way.
# A step the catalog cannot place (an unknown tool from client history or an older catalog, a
# server-less name several servers offer) could have been anything: it gets every owner's
# labels, else the labels of an admitted unknown tool, never none.
step_labels(id, h) := ls if {
	ls := catalog.label_index[id]
} else := ls if {
	ls := catalog.entry_labels(catalog.entry(h.tool))
} else := ls if {
	not is_string(h.tool.server)
	owners := catalog.owners_by_name[h.tool.name]
	ls := {l | some s in owners; some l in catalog.entry_labels(data.catalog.servers[s].tools[h.tool.name])}
} else := {l | some l in catalog.unknown_labels}

# Positions of the executed steps, ascending.
executed_steps := [i | some i, h in history; executed(h)]

# Every label an executed step carried.
labels_seen contains l if {
	some i in executed_steps
	some l in history_labels[i]
}

# Positions (0-based indexes into history) of executed steps carrying a label.
label_positions(label) := {i |
	some i in executed_steps
	label in history_labels[i]
}

# Position of the first executed step carrying a label; undefined if none did.
first_position(label) := min(ps) if {
	ps := label_positions(label)
	count(ps) > 0
}

# An executed step carrying label_a came before (or was) an executed step carrying label_b.
label_before(label_a, label_b) if {
	a := first_position(label_a)
	some b in label_positions(label_b)
	a <= b
}

# "server/tool", the string tool patterns match; an unresolved server is empty ("/name").
# (else, not a second rule: a function's rules are all evaluated, and this runs per step.)
tool_id(tool) := concat("/", [s, tool.name]) if {
	s := catalog.server_of(tool)
} else := concat("/", ["", tool.name]) if {
	is_string(tool.name)
}

# Glob on "server/tool" with "/" as delimiter: "github/*", "*/delete_*", "*/*".
matches(pattern, tool) if glob.match(pattern, ["/"], tool_id(tool))

# The distinct ids in the history: globs run once per distinct tool, not once per step.
history_id_set := {id | some id in history_ids; is_string(id)}

matching_ids(pattern) := {id | some id in history_id_set; glob.match(pattern, ["/"], id)}

# Executed steps whose tool matches a pattern, oldest first.
calls(pattern) := [history[i] |
	ids := matching_ids(pattern)
	some i in executed_steps
	history_ids[i] in ids
]

# Every attempted step (any decision) whose tool matches a pattern.
attempts(pattern) := [h |
	ids := matching_ids(pattern)
	some i, h in history
	history_ids[i] in ids
]

# Some executed step matching pattern_a came strictly before an executed step matching pattern_b.
happened_before(pattern_a, pattern_b) if {
	a := matching_ids(pattern_a)
	firsts := [i | some i in executed_steps; history_ids[i] in a]
	count(firsts) > 0
	b := matching_ids(pattern_b)
	some j in executed_steps
	j > firsts[0]
	history_ids[j] in b
}

# The step happened at most `seconds` before now. A step without a time counts (strict).
within(h, seconds) if recent(h, now - (seconds * 1000000000))

# The step happened at or after `cutoff` (ns). A step without a positive numeric time counts:
# the service writes time_ns 0 for client-sent steps that carried no time ("unknown").
recent(h, cutoff) := false if {
	t := h.time_ns
	is_number(t)
	t > 0
	t < cutoff
} else := true

# Attempts matching a pattern within the last `seconds`.
count_within(pattern, seconds) := count([1 |
	ids := matching_ids(pattern)
	cutoff := now - (seconds * 1000000000)
	some i, h in history
	history_ids[i] in ids
	recent(h, cutoff)
])

# Exact-match helpers compare a step's tool with the call's by their "server/tool" ids without
# building an id per step: equal (server, name) pairs mean equal ids, and different pairs can
# only spell the same id when one of the servers contains "/" (then the ids are compared).
# s0: the call's resolved server ("" when unresolved), n0: its name, id: its tool_id.
same_tool(t, s0, n0, slash0, id) := true if {
	t.server == s0
	t.name == n0
} else := false if {
	not slash0
	is_string(t.server)
	not contains(t.server, "/")
} else := tool_id(t) == id

# Attempts (any decision) of the same tool (same resolved "server/tool") within the last
# `seconds`. Exact match, no glob: the hot path for rate rules.
tool_attempts_within(tool, seconds) := count([1 |
	n0 := tool.name
	is_string(n0)
	s0 := resolved_server(tool)
	slash0 := contains(s0, "/")
	id := concat("/", [s0, n0])
	cutoff := now - (seconds * 1000000000)
	some h in history
	same_tool(h.tool, s0, n0, slash0, id)
	recent(h, cutoff)
])

# Executed calls of the same tool in the whole session.
tool_executed_count(tool) := count([1 |
	n0 := tool.name
	is_string(n0)
	s0 := resolved_server(tool)
	slash0 := contains(s0, "/")
	id := concat("/", [s0, n0])
	some i in executed_steps
	same_tool(history[i].tool, s0, n0, slash0, id)
])

# The call's server for id comparisons: "" when unresolved, as in tool_id.
resolved_server(tool) := s if {
	s := catalog.server_of(tool)
} else := ""

# Executed steps carrying a label within the last `seconds`.
label_count_within(label, seconds) := count([1 |
	cutoff := now - (seconds * 1000000000)
	some i in executed_steps
	label in history_labels[i]
	recent(history[i], cutoff)
])
