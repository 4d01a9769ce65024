# leading comment
package policies.mcp["tool-calls"]

import rego.v1
import future.keywords
import future.keywords.in
import data.lib.helpers as h
import input.request # trailing comment

p := 1
