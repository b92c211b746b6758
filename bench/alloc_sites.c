/* bench/alloc_sites.py's counter: every allocation of Python's object and mem domains (what
   pymalloc serves) made by the thread that called start(), keyed by the innermost Python
   frame (code object, instruction) and by the innermost frame whose file is under a prefix
   (the proxy's tree, without .venv and bench/). Frees are not counted: this counts objects
   made, which tracemalloc's snapshots (live memory) cannot. Reads CPython 3.11's internal
   frame struct, so it builds against that version's headers only. */
#define PY_SSIZE_T_CLEAN
#define Py_BUILD_CORE_MODULE 1
#include <Python.h>
#include "internal/pycore_frame.h"
#include <string.h>

#define TBITS 18
#define TSIZE (1u << TBITS)
typedef struct { void *code; int off; void *ocode; int ooff; long n; } entry;
static entry table[TSIZE];
static PyMemAllocatorEx old_obj, old_mem;
static PyThreadState *target;
static int active;
static long total, overflow;
static char prefix[1024];
static size_t prefix_len;
#define CBITS 14
typedef struct { void *code; int ours; } centry;
static centry ccache[1 << CBITS];

static int is_ours(PyCodeObject *co) {
    size_t h = ((size_t)co >> 4) & ((1 << CBITS) - 1);
    for (int i = 0; i < 64; i++) {
        centry *c = &ccache[(h + i) & ((1 << CBITS) - 1)];
        if (c->code == co) return c->ours;
        if (c->code == NULL) {
            const char *f = PyUnicode_AsUTF8(co->co_filename);
            int ours = f && prefix_len && strncmp(f, prefix, prefix_len) == 0
                && strstr(f + prefix_len, ".venv") == NULL && strstr(f + prefix_len, "bench/") == NULL;
            c->code = co; c->ours = ours; return ours;
        }
    }
    return 0;
}

static void note(void) {
    if (!active) return;
    PyThreadState *t = _PyThreadState_UncheckedGet();
    if (t != target) return;
    active = 0;  /* no re-entry (PyUnicode_AsUTF8 may allocate) */
    total++;
    _PyInterpreterFrame *f = t->cframe->current_frame;
    void *code = NULL, *ocode = NULL; int off = -1, ooff = -1;
    if (f) { code = f->f_code; off = _PyInterpreterFrame_LASTI(f); }
    for (_PyInterpreterFrame *g = f; g; g = g->previous) {
        if (is_ours(g->f_code)) { ocode = g->f_code; ooff = _PyInterpreterFrame_LASTI(g); break; }
    }
    size_t h = (((size_t)code >> 4) * 31 + (size_t)off * 7 + ((size_t)ocode >> 4) * 13 + (size_t)ooff) & (TSIZE - 1);
    for (unsigned i = 0; i < 256; i++) {
        entry *e = &table[(h + i) & (TSIZE - 1)];
        if (e->n == 0) { e->code = code; e->off = off; e->ocode = ocode; e->ooff = ooff; e->n = 1; goto done; }
        if (e->code == code && e->off == off && e->ocode == ocode && e->ooff == ooff) { e->n++; goto done; }
    }
    overflow++;
done:
    active = 1;
}

static void *obj_malloc(void *ctx, size_t n) { note(); return old_obj.malloc(old_obj.ctx, n); }
static void *obj_calloc(void *ctx, size_t a, size_t b) { note(); return old_obj.calloc(old_obj.ctx, a, b); }
static void *obj_realloc(void *ctx, void *p, size_t n) { if (!p) note(); return old_obj.realloc(old_obj.ctx, p, n); }
static void obj_free(void *ctx, void *p) { old_obj.free(old_obj.ctx, p); }
static void *mem_malloc(void *ctx, size_t n) { note(); return old_mem.malloc(old_mem.ctx, n); }
static void *mem_calloc(void *ctx, size_t a, size_t b) { note(); return old_mem.calloc(old_mem.ctx, a, b); }
static void *mem_realloc(void *ctx, void *p, size_t n) { if (!p) note(); return old_mem.realloc(old_mem.ctx, p, n); }
static void mem_free(void *ctx, void *p) { old_mem.free(old_mem.ctx, p); }

static int installed;
static PyObject *install(PyObject *self, PyObject *arg) {
    const char *p = PyUnicode_AsUTF8(arg);
    if (!p) return NULL;
    strncpy(prefix, p, sizeof prefix - 1); prefix_len = strlen(prefix);
    if (!installed) {
        PyMemAllocatorEx a;
        PyMem_GetAllocator(PYMEM_DOMAIN_OBJ, &old_obj);
        PyMem_GetAllocator(PYMEM_DOMAIN_MEM, &old_mem);
        a.ctx = NULL; a.malloc = obj_malloc; a.calloc = obj_calloc; a.realloc = obj_realloc; a.free = obj_free;
        PyMem_SetAllocator(PYMEM_DOMAIN_OBJ, &a);
        a.malloc = mem_malloc; a.calloc = mem_calloc; a.realloc = mem_realloc; a.free = mem_free;
        PyMem_SetAllocator(PYMEM_DOMAIN_MEM, &a);
        installed = 1;
    }
    Py_RETURN_NONE;
}
static PyObject *start(PyObject *self, PyObject *unused) {
    memset(table, 0, sizeof table); total = overflow = 0;
    target = PyThreadState_Get(); active = 1; Py_RETURN_NONE;
}
static PyObject *stop(PyObject *self, PyObject *unused) {
    active = 0;
    PyObject *out = PyList_New(0);
    for (unsigned i = 0; i < TSIZE; i++) {
        entry *e = &table[i];
        if (!e->n) continue;
        PyObject *code = e->code ? (PyObject *)e->code : Py_None;
        PyObject *ocode = e->ocode ? (PyObject *)e->ocode : Py_None;
        int line = e->code ? PyCode_Addr2Line((PyCodeObject *)e->code, e->off * 2) : -1;
        int oline = e->ocode ? PyCode_Addr2Line((PyCodeObject *)e->ocode, e->ooff * 2) : -1;
        PyObject *t = Py_BuildValue("(OiOil)", code, line, ocode, oline, e->n);
        PyList_Append(out, t); Py_DECREF(t);
    }
    PyObject *r = Py_BuildValue("(Nll)", out, total, overflow);
    return r;
}
static PyMethodDef methods[] = {
    {"install", install, METH_O, ""}, {"start", start, METH_NOARGS, ""}, {"stop", stop, METH_NOARGS, ""}, {NULL}};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "_alloc_sites", NULL, -1, methods};
PyMODINIT_FUNC PyInit__alloc_sites(void) { return PyModule_Create(&mod); }
