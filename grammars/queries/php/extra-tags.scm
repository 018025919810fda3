; Bantam's additions to tree-sitter-php's tags.scm: enums, class constants and global constants.
; (The shipped query calls methods functions; the extractor makes them methods of their class.)
(enum_declaration name: (name) @name) @definition.enum
(const_declaration (const_element (name) @name)) @definition.constant
