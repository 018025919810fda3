; Bantam's import query (Java). Each import is one @import.statement; @import.source is the
; imported name as written ('com.shop.pricing.Pricing'), or the package of a wildcard import
; ('java.util' for `java.util.*`); @import.name is the class (or static member) brought in.
(import_declaration (scoped_identifier name: (identifier) @import.name) @import.source .) @import.statement
(import_declaration (_) @import.source . (asterisk)) @import.statement
(import_declaration (identifier) @import.source @import.name .) @import.statement
