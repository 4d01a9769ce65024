# The called tool as the catalog sees it, plus the labels its annotations add.
package mcp

import data.lib.catalog
import data.lib.sequence

server := catalog.server_of(input.tool)

entry := catalog.entry(input.tool)

known_tool if entry

default tool_display := "<unnamed tool>"

tool_display := sequence.tool_id(input.tool)

# (catalog.labels(input.tool), from the entry already resolved above)
catalog_labels := {l | some l in entry.labels}

# Annotations come from the MCP server and may lie, so they can only add labels: a hint of
# destructiveHint/openWorldHint makes the call stricter; readOnlyHint never removes a label.
# A hint that is present but not `false` counts as set: "true", 1 or null must not read as "no".
annotation_labels contains "destructive" if hint_set("destructiveHint")

annotation_labels contains "public_sink" if hint_set("openWorldHint")

hint_set(name) if {
	is_object(input.tool.annotations)
	h := input.tool.annotations[name]
	h != false
}

labels := catalog_labels | annotation_labels

violation contains v if {
	not known_tool
	v := {
		"code": "tool_unknown",
		"message": sprintf("tool %s is not in the catalog", [tool_display]),
		"effect": "deny",
	}
}

# A name the catalog does not list but that a server default or allow_unknown_tools admits must
# be a plain MCP tool name (SEP-986: ASCII letters, digits, `_ - . /`, 1 to 128 characters) and
# must not be a listed tool of that server in another case: servers that match names loosely
# (case-insensitively, trimming, Unicode-folding) would run the listed tool under the laxer
# default entry — `DELETE_FILE` would dodge `delete_file`'s scopes and approval.
listed_tool if catalog.has_tool(server, input.tool.name)

violation contains v if {
	known_tool
	not listed_tool
	not regex.match(`^[A-Za-z0-9_./-]{1,128}$`, input.tool.name)
	v := {
		"code": "tool_unknown",
		"message": sprintf("tool %s is not in the catalog and its name is not a plain MCP tool name", [tool_display]),
		"effect": "deny",
	}
}

violation contains v if {
	known_tool
	not listed_tool
	some t in lookalikes
	v := {
		"code": "tool_unknown",
		"message": sprintf("tool %s is not in the catalog; it differs from the listed %s only by case", [tool_display, t]),
		"effect": "deny",
	}
}

lookalikes contains t if {
	n := lower(input.tool.name)
	some t, _ in data.catalog.servers[server].tools
	lower(t) == n
}
