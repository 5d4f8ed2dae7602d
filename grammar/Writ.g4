// The Writ policy language: the only grammar of the project.
// ANTLR generates the C++ parser at build time; compiler/syntax converts the parse tree into
// the AST, and no ANTLR type leaves that layer. docs/language.md is the specification.
//
// Declarations need no terminator: every declaration and clause starts with a keyword, and an
// identifier can never continue a complete expression, so the end of each is unambiguous.
grammar Writ;

file : packageDecl? importDecl* decl* EOF ;

packageDecl : 'package' qualifiedName ;
importDecl  : 'import' qualifiedName ('as' ident)? ;

decl
  : entityDecl
  | enumDecl
  | agentDecl
  | toolDecl
  | ruleDecl
  | limitDecl
  | budgetDecl
  | rateDecl
  | poolDecl
  | outputDecl
  | testDecl
  ;

// ---- schema -------------------------------------------------------------------------------

entityDecl : 'entity' ident ('in' nameList)? ('{' attrList? '}')? ;
enumDecl   : 'enum' ident '{' ident (',' ident)* ','? '}' ;
agentDecl  : 'agent' ident ('in' nameList)? '{' (agentMember ','?)* '}' ;
toolDecl   : 'tool' qualifiedName '(' attrList? ')' ('->' type)? ;

agentMember
  : 'acts_for' ':' qualifiedName                    # actsForMember
  | 'credentials' '{' (credentialDecl ','?)* '}'    # credentialsMember
  | attrDecl                                        # attrMember
  ;
credentialDecl : ident ':' stringList 'ttl' DURATION ;

attrList : attrDecl (',' attrDecl)* ','? ;
attrDecl : ident optional='?'? ':' type ;
nameList : qualifiedName (',' qualifiedName)* ;

type
  : '{' attrList? '}'                               # recordType
  | qualifiedName ('<' type (',' type)* '>')?       # namedType
  ;

// ---- rules and their relatives ------------------------------------------------------------

ruleDecl : label? modifier* effect phase toolPatterns forClause? ruleClause* ;
effect   : 'permit' | 'forbid' | 'require_approval' ;
phase    : 'call' | 'result' ;

ruleClause
  : 'when' expr                                     # ruleWhen
  | 'because' STRING                                # ruleBecause
  | 'by' expr                                       # ruleApprover
  | 'timeout' DURATION                              # ruleTimeout
  | 'grant' ident stringList? ('ttl' DURATION)?     # ruleGrant
  | 'warn' STRING                                   # ruleWarn
  ;

limitDecl  : label? modifier* 'limit' 'spend' toolPattern 'per' ident '<=' expr forClause? becauseClause? ;
budgetDecl : label? modifier* 'budget' ident ('per' ident)? amount forClause? budgetClause* ;
rateDecl   : label? modifier* 'rate' toolPatterns INT 'per' DURATION forClause? becauseClause? ;
poolDecl   : label? modifier* 'pool' ident INT poolMembers ('then' ident)? ;
outputDecl : label? modifier* 'output' phase? toolPattern '{' outputRule* '}' ;

budgetClause
  : 'warn' 'at' PERCENT (',' PERCENT)*              # budgetWarnAt
  | 'then' thenAction ('by' expr)?                  # budgetThen
  | 'because' STRING                                # budgetBecause
  ;
poolMembers
  : 'calls' toolPatterns                            # poolCalls
  | 'sessions' nameList                             # poolSessions
  ;
outputRule : kind=('forbid' | 'redact') nameList becauseClause? ;
// `require_approval` is a reserved keyword, yet it names a budget's action (`then terminate`,
// `then require_approval by ...`), so the action is a name or that keyword.
thenAction : ident | 'require_approval' ;

label         : ident ':' ;
modifier      : 'advisory' | 'soft' | 'hard' | 'shadow' ;
forClause     : 'for' nameList ;
becauseClause : 'because' STRING ;
amount        : INT | DURATION | MONEY ;
toolPatterns  : toolPattern (',' toolPattern)* ;
toolPattern   : patternPart ('.' patternPart)* ;
patternPart   : ident | '*' ;
stringList    : '[' (STRING (',' STRING)* ','?)? ']' ;

// ---- tests --------------------------------------------------------------------------------

testDecl : 'test' STRING '{' testStmt* '}' ;

testStmt
  : 'entity' entityRef ('{' fieldInits? '}')? ('in' entityRef (',' entityRef)*)?    # testEntity
  | 'session' '{' fieldInits? '}'                                                  # testSession
  | 'call' qualifiedName '(' fieldInits? ')' 'as' entityRef                        # testCall
  | 'result' qualifiedName '(' fieldInits? ')' 'returns' expr 'as' entityRef       # testResult
  | 'expect' expected=('allow' | 'deny' | 'approval_required') expectClause*       # testExpect
  ;
expectClause
  : 'because' STRING                                # expectBecause
  | 'warn' STRING                                   # expectWarn
  ;
entityRef : qualifiedName '::' STRING ;

// ---- expressions (earlier alternatives bind tighter) --------------------------------------

expr
  : primary                                                   # primaryExpr
  | expr '.' ident                                            # memberExpr
  | expr '(' (expr (',' expr)*)? ')'                          # callExpr
  | expr '::' STRING                                          # entityExpr
  | '-' expr                                                  # negExpr
  | expr op=('*' | '/' | '%') expr                            # mulExpr
  | expr op=('+' | '-') expr                                  # addExpr
  | expr op=('==' | '!=' | '<' | '<=' | '>' | '>=') expr      # compareExpr
  | expr 'in' expr                                            # inExpr
  | expr 'has' ident                                          # hasExpr
  | expr 'like' expr                                          # likeExpr
  | 'not' expr                                                # notExpr
  | expr 'and' expr                                           # andExpr
  | expr 'or' expr                                            # orExpr
  | quant=('any' | 'all') ident 'in' expr ':' expr            # quantExpr
  ;

primary
  : INT                                             # intLit
  | DECIMAL                                         # decimalLit
  | MONEY                                           # moneyLit
  | DURATION                                        # durationLit
  | STRING                                          # stringLit
  | value=('true' | 'false')                        # boolLit
  | ident                                           # nameRef
  | '(' expr ')'                                    # parenExpr
  | '[' (expr (',' expr)* ','?)? ']'                # setLit
  | '{' fieldInits? '}'                             # recordLit
  ;
fieldInits : fieldInit (',' fieldInit)* ','? ;
fieldInit  : ident ':' expr ;

qualifiedName : ident ('.' ident)* ;

// Keywords that only mean something in one position stay usable as names elsewhere.
ident
  : IDENT
  | 'as' | 'acts_for' | 'credentials' | 'ttl' | 'call' | 'result' | 'for' | 'by' | 'timeout'
  | 'grant' | 'warn' | 'spend' | 'per' | 'at' | 'then' | 'calls' | 'sessions' | 'returns'
  | 'session' | 'expect' | 'allow' | 'deny' | 'approval_required' | 'redact'
  | 'advisory' | 'soft' | 'hard' | 'shadow'
  ;

// ---- lexer --------------------------------------------------------------------------------

// "50000 USD": an amount, blanks on the same line, and an ISO 4217 code, lexed as one token so
// that a currency can never be confused with a name on the next line.
MONEY    : DIGITS ('.' DIGITS)? [ \t]+ [A-Z] [A-Z] [A-Z] ;
DURATION : (DIGITS ('ms' | 's' | 'm' | 'h' | 'd'))+ ;
PERCENT  : DIGITS '%' ;
DECIMAL  : DIGITS '.' DIGITS ;
INT      : DIGITS ;
// A number glued to letters ("5dollars", "50000USD") is one bad token, reported clearly.
BAD_NUMBER : DIGITS ('.' DIGITS)? [a-zA-Z_] [a-zA-Z_0-9]* ;

// Any backslash pair is lexed as part of the string; the syntax layer decodes the escapes and
// reports an unknown one precisely (W0108) instead of the string looking unterminated.
STRING              : '"' ('\\' ~[\r\n] | ~["\\\r\n])* '"' ;
UNTERMINATED_STRING : '"' ('\\' ~[\r\n] | ~["\\\r\n])* '\\'? ;

IDENT : [a-zA-Z_] [a-zA-Z_0-9]* ;

LINE_COMMENT  : '//' ~[\r\n]* -> channel(HIDDEN) ;
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN) ;
// Must not contain `*/`: the lexer prefers the longest match, so a body that could run past
// `*/` to the end of the file would swallow every comment that has text after it.
UNTERMINATED_COMMENT : '/*' (~'*' | '*'+ ~[*/])* '*'* EOF ;
WS : [ \t\r\n]+ -> skip ;

// Anything else is a single bad character; the syntax layer turns it into a diagnostic.
BAD_CHAR : . ;

fragment DIGITS : [0-9] ('_'? [0-9])* ;
