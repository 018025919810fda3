; Bantam's additions to tree-sitter-cpp's tags.scm: namespaces, macros with a value (not bare
; include guards), enums as enums, enumerators, unions, aliases, namespace-level variables and
; out-of-line member definitions (`double Calc::total() {}`) naming their class as @container.
(namespace_definition name: [(namespace_identifier) (nested_namespace_specifier)] @name) @definition.module
(preproc_def name: (identifier) @name value: (_)) @definition.macro
(preproc_function_def name: (identifier) @name) @definition.macro
(enum_specifier name: (type_identifier) @name body: (_)) @definition.enum
(enumerator name: (identifier) @name) @definition.constant
(union_specifier name: (type_identifier) @name body: (_)) @definition.class
(alias_declaration name: (type_identifier) @name) @definition.type
(function_declarator
  declarator: (qualified_identifier
    scope: [(namespace_identifier) (template_type name: (type_identifier))] @container
    name: [(identifier) (field_identifier) (destructor_name) (operator_name)] @name)) @definition.method
(translation_unit (declaration declarator: (init_declarator declarator: (identifier) @name)) @definition.variable)
(namespace_definition body: (declaration_list (declaration declarator: (init_declarator declarator: (identifier) @name)) @definition.variable))
