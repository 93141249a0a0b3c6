/* One pass over a pdfium text page's characters, in C.

pdfium has no call that gives a page's character boxes at once: each character costs a call
per fact, and from Python (ctypes) a call costs about as much as pdfium's whole text
extraction per character. This loop makes the same calls natively and fills arrays the reader
(pdfium_page.py) hands it. It links against nothing: pypdfium2's library is already loaded,
and the reader passes the addresses of its functions (taken through ctypes), so this module
and pypdfium2 always agree on which pdfium they call. The GIL stays held: pdfium is not safe
to call from two threads at once.

read_chars(functions, textpage, n, boxes, objects, generated, origins, sizes, matrices, fonts)
  functions: the addresses of FPDFText_GetLooseCharBox, FPDFText_GetTextObject,
             FPDFText_IsGenerated, FPDFText_GetCharOrigin, FPDFText_GetFontSize,
             FPDFText_GetMatrix, FPDFTextObj_GetFont
  the rest:  the text page's handle, its character count, and the addresses of the arrays to
             fill: n × 4 float32 (left, top, right, bottom), n uint64 (the text object),
             n int8 (made up by pdfium), n × 2 float64 (origin), n float64 (font size),
             n × 6 float32 (matrix), n uint64 (the text object's font)
*/
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

typedef struct { float left, top, right, bottom; } rect_f;
typedef int (*loose_box_fn)(void *, int, rect_f *);
typedef void *(*text_object_fn)(void *, int);
typedef int (*is_generated_fn)(void *, int);
typedef int (*char_origin_fn)(void *, int, double *, double *);
typedef double (*font_size_fn)(void *, int);
typedef int (*matrix_fn)(void *, int, float *);
typedef void *(*object_font_fn)(void *);

static PyObject *read_chars(PyObject *self, PyObject *args) {
    unsigned long long f_box, f_object, f_generated, f_origin, f_size, f_matrix, f_font;
    unsigned long long textpage, a_boxes, a_objects, a_generated, a_origins, a_sizes, a_matrices, a_fonts;
    int n;
    if (!PyArg_ParseTuple(args, "(KKKKKKK)KiKKKKKKK", &f_box, &f_object, &f_generated, &f_origin, &f_size,
                          &f_matrix, &f_font, &textpage, &n, &a_boxes, &a_objects, &a_generated, &a_origins,
                          &a_sizes, &a_matrices, &a_fonts))
        return NULL;
    if (!f_box || !f_object || !f_generated || !f_origin || !f_size || !f_matrix || !f_font || !textpage
        || n < 0 || !a_boxes || !a_objects || !a_generated || !a_origins || !a_sizes || !a_matrices || !a_fonts) {
        PyErr_SetString(PyExc_ValueError, "read_chars: a null function or text page");
        return NULL;
    }
    loose_box_fn loose_box = (loose_box_fn)(uintptr_t)f_box;
    text_object_fn text_object = (text_object_fn)(uintptr_t)f_object;
    is_generated_fn is_generated = (is_generated_fn)(uintptr_t)f_generated;
    char_origin_fn char_origin = (char_origin_fn)(uintptr_t)f_origin;
    font_size_fn font_size = (font_size_fn)(uintptr_t)f_size;
    matrix_fn matrix = (matrix_fn)(uintptr_t)f_matrix;
    object_font_fn object_font = (object_font_fn)(uintptr_t)f_font;
    void *page = (void *)(uintptr_t)textpage;
    rect_f *boxes = (rect_f *)(uintptr_t)a_boxes;
    uint64_t *objects = (uint64_t *)(uintptr_t)a_objects;
    int8_t *generated = (int8_t *)(uintptr_t)a_generated;
    double *origins = (double *)(uintptr_t)a_origins;
    double *sizes = (double *)(uintptr_t)a_sizes;
    float *matrices = (float *)(uintptr_t)a_matrices;
    uint64_t *fonts = (uint64_t *)(uintptr_t)a_fonts;
    void *last_object = NULL, *last_font = NULL;
    for (int i = 0; i < n; i++) {
        if (!loose_box(page, i, &boxes[i]))
            boxes[i].left = boxes[i].top = boxes[i].right = boxes[i].bottom = 0;
        objects[i] = (uint64_t)(uintptr_t)text_object(page, i);
        generated[i] = (int8_t)(is_generated(page, i) != 0);  /* -1, an error, counts as made up */
        if (!char_origin(page, i, &origins[2 * i], &origins[2 * i + 1]))
            origins[2 * i] = origins[2 * i + 1] = 0;
        sizes[i] = font_size(page, i);
        if (!matrix(page, i, &matrices[6 * i]))
            for (int k = 0; k < 6; k++)
                matrices[6 * i + k] = 0;
        void *object = (void *)(uintptr_t)objects[i];
        if (object != last_object) {  /* one text object draws many characters in turn */
            last_object = object;
            last_font = object ? object_font(object) : NULL;
        }
        fonts[i] = (uint64_t)(uintptr_t)last_font;
    }
    Py_RETURN_NONE;
}

/* read_paths(functions, page)
  functions: the addresses of FPDFPage_CountObjects, FPDFPage_GetObject, FPDFPageObj_GetType,
             FPDFPageObj_GetMatrix, FPDFPath_CountSegments, FPDFPath_GetPathSegment,
             FPDFPathSegment_GetPoint, FPDFPathSegment_GetType, FPDFPathSegment_GetClose,
             FPDFFormObj_CountObjects, FPDFFormObj_GetObject
  returns:   None when a form XObject holds a path (pdfminer draws it into the page, pdfium
             keeps it apart); else (has_image, segments): whether an image is drawn on the
             page itself, and 5 float64 per segment of every path in drawing order: the
             path's number, the segment's kind, whether it closes the subpath, and its point
             through the path's matrix (as Python computes a*x + c*y + e, b*x + d*y + f). */
typedef int (*count_objects_fn)(void *);
typedef void *(*get_object_fn)(void *, int);
typedef int (*object_type_fn)(void *);
typedef int (*object_matrix_fn)(void *, float *);
typedef int (*count_segments_fn)(void *);
typedef void *(*get_segment_fn)(void *, int);
typedef int (*segment_point_fn)(void *, float *, float *);
typedef int (*segment_type_fn)(void *);
typedef int (*segment_close_fn)(void *);
typedef int (*form_count_fn)(void *);
typedef void *(*form_object_fn)(void *, unsigned long);

enum { TEXT = 1, PATH = 2, IMAGE = 3, FORM = 5 };

static int form_has_path(void *form, object_type_fn type, form_count_fn count, form_object_fn object, int depth) {
    if (depth > 64)
        return 1; /* forms nested past reason: let pdfplumber read the page */
    int n = count(form);
    for (int i = 0; i < n; i++) {
        void *o = object(form, (unsigned long)i);
        int kind = type(o);
        if (kind == PATH || (kind == FORM && form_has_path(o, type, count, object, depth + 1)))
            return 1;
    }
    return 0;
}

static PyObject *read_paths(PyObject *self, PyObject *args) {
    unsigned long long f[11], page_handle;
    if (!PyArg_ParseTuple(args, "(KKKKKKKKKKK)K", &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7], &f[8],
                          &f[9], &f[10], &page_handle))
        return NULL;
    for (int k = 0; k < 11; k++)
        if (!f[k]) {
            PyErr_SetString(PyExc_ValueError, "read_paths: a null function");
            return NULL;
        }
    if (!page_handle) {
        PyErr_SetString(PyExc_ValueError, "read_paths: a null page");
        return NULL;
    }
    count_objects_fn count_objects = (count_objects_fn)(uintptr_t)f[0];
    get_object_fn get_object = (get_object_fn)(uintptr_t)f[1];
    object_type_fn object_type = (object_type_fn)(uintptr_t)f[2];
    object_matrix_fn object_matrix = (object_matrix_fn)(uintptr_t)f[3];
    count_segments_fn count_segments = (count_segments_fn)(uintptr_t)f[4];
    get_segment_fn get_segment = (get_segment_fn)(uintptr_t)f[5];
    segment_point_fn segment_point = (segment_point_fn)(uintptr_t)f[6];
    segment_type_fn segment_type = (segment_type_fn)(uintptr_t)f[7];
    segment_close_fn segment_close = (segment_close_fn)(uintptr_t)f[8];
    form_count_fn form_count = (form_count_fn)(uintptr_t)f[9];
    form_object_fn form_object = (form_object_fn)(uintptr_t)f[10];
    void *page = (void *)(uintptr_t)page_handle;

    size_t used = 0, room = 64;
    double *out = PyMem_Malloc(room * 5 * sizeof(double));
    if (!out)
        return PyErr_NoMemory();
    int has_image = 0, paths = 0;
    float x = 0, y = 0; /* a point pdfium cannot give keeps the last one, as the ctypes route does */
    int n = count_objects(page);
    for (int k = 0; k < n; k++) {
        void *obj = get_object(page, k);
        int kind = object_type(obj);
        if (kind == FORM && form_has_path(obj, object_type, form_count, form_object, 0)) {
            PyMem_Free(out);
            Py_RETURN_NONE;
        }
        if (kind == IMAGE)
            has_image = 1;
        if (kind != PATH)
            continue;
        float m[6] = {1, 0, 0, 1, 0, 0};
        if (!object_matrix(obj, m)) {
            m[0] = 1; m[1] = 0; m[2] = 0; m[3] = 1; m[4] = 0; m[5] = 0;
        }
        double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], ff = m[5];
        int segments = count_segments(obj);
        for (int s = 0; s < segments; s++) {
            void *segment = get_segment(obj, s);
            segment_point(segment, &x, &y);
            if (used == room) {
                room *= 2;
                double *grown = PyMem_Realloc(out, room * 5 * sizeof(double));
                if (!grown) {
                    PyMem_Free(out);
                    return PyErr_NoMemory();
                }
                out = grown;
            }
            double px = x, py = y;
            double *r = out + 5 * used++;
            r[0] = paths;
            r[1] = segment_type(segment);
            r[2] = segment_close(segment) ? 1 : 0;
            double ax = a * px, cy = c * py, bx = b * px, dy = d * py;  /* no fused multiply-add: Python's rounding */
            r[3] = (ax + cy) + e;
            r[4] = (bx + dy) + ff;
        }
        paths++;
    }
    PyObject *data = PyBytes_FromStringAndSize((const char *)out, (Py_ssize_t)(used * 5 * sizeof(double)));
    PyMem_Free(out);
    if (!data)
        return NULL;
    return Py_BuildValue("(NN)", PyBool_FromLong(has_image), data);
}

static PyMethodDef methods[] = {
    {"read_chars", read_chars, METH_VARARGS, "Fill a text page's character arrays in one pass."},
    {"read_paths", read_paths, METH_VARARGS, "A page's path segments and whether it draws an image, in one pass."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_pdfium_loop", NULL, -1, methods};

PyMODINIT_FUNC PyInit__pdfium_loop(void) { return PyModule_Create(&module); }
