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

static PyMethodDef methods[] = {
    {"read_chars", read_chars, METH_VARARGS, "Fill a text page's character arrays in one pass."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_pdfium_loop", NULL, -1, methods};

PyMODINIT_FUNC PyInit__pdfium_loop(void) { return PyModule_Create(&module); }
