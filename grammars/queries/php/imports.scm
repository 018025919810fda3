; Bantam's import query (PHP). Each `use` clause and each require/include is one @import.statement.
;   use Shop\Pricing;                   source 'Shop\Pricing', names [Pricing]
;   use Shop\Models\{User, Post};       source 'Shop\Models',  names [User, Post]
;   require_once __DIR__ . '/x.php';    source './x.php' (@import.relative: relative to this file)
;   require 'lib/x.php';                source 'lib/x.php'

(namespace_use_declaration
  (namespace_use_clause . [
    (qualified_name (name) @import.name .)
    (name) @import.name
  ] @import.source) @import.statement)
(namespace_use_declaration (namespace_name) @import.source (namespace_use_group)) @import.statement
(namespace_use_declaration
  (namespace_use_group (namespace_use_clause . (name) @import.name))) @import.statement

([
  (require_expression [(string (string_content) @import.source) (encapsed_string (string_content) @import.source)])
  (require_once_expression [(string (string_content) @import.source) (encapsed_string (string_content) @import.source)])
  (include_expression [(string (string_content) @import.source) (encapsed_string (string_content) @import.source)])
  (include_once_expression [(string (string_content) @import.source) (encapsed_string (string_content) @import.source)])
] @import.statement)
([
  (require_expression (binary_expression left: (name) @import.relative right: [(string (string_content) @import.source) (encapsed_string (string_content) @import.source)]))
  (require_once_expression (binary_expression left: (name) @import.relative right: [(string (string_content) @import.source) (encapsed_string (string_content) @import.source)]))
  (include_expression (binary_expression left: (name) @import.relative right: [(string (string_content) @import.source) (encapsed_string (string_content) @import.source)]))
  (include_once_expression (binary_expression left: (name) @import.relative right: [(string (string_content) @import.source) (encapsed_string (string_content) @import.source)]))
] @import.statement
  (#eq? @import.relative "__DIR__"))
