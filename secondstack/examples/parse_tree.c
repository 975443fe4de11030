/* parse_tree — a parser that builds its tree in a region.

       parse_tree "1 + 2 * (3 - 4)" ...     or lines on stdin

   Every node is a typed allocation (ss_new) from a scope that is reset for the next line:
   no free anywhere, and the whole tree goes at once. An error names the column. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secondstack/ss_region.h>

typedef struct node {
    char op; /* '+', '-', '*', '/', or 0 for a number */
    double value;
    struct node *left, *right;
} node;

typedef struct parser {
    ss_allocator s;
    const char *text, *at;
    const char *error;
} parser;

static node *expr(parser *p);

static void skip(parser *p) {
    while (isspace((unsigned char)*p->at)) p->at++;
}

static node *leaf(parser *p, double v) {
    node *n = ss_new(p->s, node, 1);
    *n = (node){0, v, NULL, NULL};
    return n;
}

static node *join(parser *p, char op, node *l, node *r) {
    node *n = ss_new(p->s, node, 1);
    *n = (node){op, 0, l, r};
    return n;
}

static node *primary(parser *p) {
    skip(p);
    if (*p->at == '(') {
        p->at++;
        node *n = expr(p);
        skip(p);
        if (*p->at != ')') {
            p->error = "expected ')'";
            return NULL;
        }
        p->at++;
        return n;
    }
    char *end;
    double v = strtod(p->at, &end);
    if (end == p->at) {
        p->error = "expected a number or '('";
        return NULL;
    }
    p->at = end;
    return leaf(p, v);
}

static node *term(parser *p) {
    node *l = primary(p);
    for (skip(p); l && (*p->at == '*' || *p->at == '/'); skip(p)) {
        char op = *p->at++;
        node *r = primary(p);
        l = r ? join(p, op, l, r) : NULL;
    }
    return l;
}

static node *expr(parser *p) {
    node *l = term(p);
    for (skip(p); l && (*p->at == '+' || *p->at == '-'); skip(p)) {
        char op = *p->at++;
        node *r = term(p);
        l = r ? join(p, op, l, r) : NULL;
    }
    return l;
}

static double eval(const node *n) {
    switch (n->op) {
    case '+':
        return eval(n->left) + eval(n->right);
    case '-':
        return eval(n->left) - eval(n->right);
    case '*':
        return eval(n->left) * eval(n->right);
    case '/':
        return eval(n->left) / eval(n->right);
    default:
        return n->value;
    }
}

static size_t count(const node *n) { return n->op ? 1 + count(n->left) + count(n->right) : 1; }

/* Parses and evaluates one line in a scope of its own; 0 ok, 1 a syntax error. */
static int run(ss_allocator s, const char *line) {
    ss_scope sc;
    parser p = {ss_scope_begin(&sc, s), line, line, NULL};
    node *tree = expr(&p);
    skip(&p);
    if (tree && *p.at != '\0') p.error = "unexpected text";
    int bad = tree == NULL || p.error != NULL;
    if (bad)
        printf("%s\n%*s^ column %d: %s\n", line, (int)(p.at - line), "", (int)(p.at - line) + 1, p.error);
    else
        printf("%s = %g  (%zu nodes)\n", line, eval(tree), count(tree));
    ss_scope_end(&sc); /* the tree, all of it */
    return bad;
}

int main(int argc, char **argv) {
    ss_region r;
    if (ss_region_create_kind(&r, "parse", 0, SS_REGION_GROW) != 0) {
        fprintf(stderr, "parse_tree: %s\n", ss_region_error());
        return 2;
    }
    ss_allocator s = ss_region_allocator(&r);
    int bad = 0;
    if (argc > 1) {
        for (int i = 1; i < argc; i++) bad |= run(s, argv[i]);
    } else {
        char line[4096];
        while (fgets(line, sizeof line, stdin)) {
            line[strcspn(line, "\n")] = '\0';
            bad |= run(s, line);
        }
    }
    ss_region_destroy(&r);
    return bad;
}
