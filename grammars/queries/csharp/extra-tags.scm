; Bantam's additions to tree-sitter-c-sharp's tags.scm: records, structs, enums, qualified and
; file-scoped namespaces, constructors' siblings (properties), constants and delegates.
(record_declaration name: (identifier) @name) @definition.class
(struct_declaration name: (identifier) @name) @definition.class
(enum_declaration name: (identifier) @name) @definition.enum
(namespace_declaration name: (qualified_name) @name) @definition.module
(file_scoped_namespace_declaration name: [(identifier) (qualified_name)] @name) @definition.module
(property_declaration name: (identifier) @name) @definition.field
(delegate_declaration name: (identifier) @name) @definition.type
((field_declaration
  (modifier) @_modifier
  (variable_declaration (variable_declarator name: (identifier) @name))) @definition.constant
  (#eq? @_modifier "const"))
