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
annotation_labels contains "destructive" if input.tool.annotations.destructiveHint == true

annotation_labels contains "public_sink" if input.tool.annotations.openWorldHint == true

labels := catalog_labels | annotation_labels

violation contains v if {
	not known_tool
	v := {
		"code": "tool_unknown",
		"message": sprintf("tool %s is not in the catalog", [tool_display]),
		"effect": "deny",
	}
}
