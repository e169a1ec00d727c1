/* Writers of the honest parallel-trends bounds (docs/methods/honest_did.md):
 * the JSON block the did and analyze reports embed, a text block, and the
 * sets as CSV. Infinite or missing ends are JSON null; "shape" says which. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <attrib/report.h>
#include "output/output_internal.h"

static const char *shape_name(attrib_honest_shape s) {
  return s == ATTRIB_HONEST_EMPTY ? "empty" : s == ATTRIB_HONEST_UNBOUNDED ? "unbounded" : "bounded";
}

static const char *search_name(attrib_honest_search s) {
  return s == ATTRIB_HONEST_NOT_AT_ZERO ? "not_at_zero" : s == ATTRIB_HONEST_BEYOND_MAX ? "beyond_max" : "found";
}

static void target_text(char *buf, size_t cap, const attrib_honest_result *h) {
  if (h->target == ATTRIB_HONEST_TARGET_AVERAGE) snprintf(buf, cap, "average");
  else if (h->target == ATTRIB_HONEST_TARGET_EVENT) snprintf(buf, cap, "post period %zu", h->target_event);
  else snprintf(buf, cap, "custom");
}

json_t *attrib__json_honest(const attrib_honest_result *h, const attrib_honest_breakeven_result *be) {
  json_t *o = json_object();
  int ok = o != NULL;
  const int rm = h->restriction == ATTRIB_HONEST_RM;
  char tgt[64];
  target_text(tgt, sizeof tgt, h);
  attrib__json_set(o, "restriction", json_string(attrib_honest_restriction_name(h->restriction)), &ok);
  attrib__json_set(o, "method", json_string(attrib_honest_method_name(h->method)), &ok);
  attrib__json_set(o, "level", attrib__json_num(h->level), &ok);
  attrib__json_set(o, "target", json_string(tgt), &ok);
  json_t *l = json_array();
  attrib__json_set(o, "l", l, &ok);
  for (size_t i = 0; ok && i < h->n_post; i++)
    if (json_array_append_new(l, attrib__json_num(h->l[i]))) ok = 0;
  attrib__json_set(o, "n_pre", json_integer((json_int_t)h->n_pre), &ok);
  attrib__json_set(o, "n_post", json_integer((json_int_t)h->n_post), &ok);
  json_t *orig = json_object();
  attrib__json_set(o, "original", orig, &ok);
  attrib__json_set(orig, "estimate", attrib__json_num(h->estimate), &ok);
  attrib__json_set(orig, "std_error", attrib__json_num(h->std_error), &ok);
  attrib__json_set(orig, "ci_low", attrib__json_num(h->ci_low), &ok);
  attrib__json_set(orig, "ci_high", attrib__json_num(h->ci_high), &ok);
  json_t *sets = json_array();
  attrib__json_set(o, "sets", sets, &ok);
  for (size_t i = 0; ok && i < h->n_sets; i++) {
    const attrib_honest_set *s = &h->sets[i];
    json_t *e = json_object();
    if (!e || json_array_append_new(sets, e)) {
      ok = 0;
      break;
    }
    attrib__json_set(e, rm ? "mbar" : "m", attrib__json_num(s->m), &ok);
    attrib__json_set(e, "ci_low", attrib__json_num(s->ci_low), &ok);
    attrib__json_set(e, "ci_high", attrib__json_num(s->ci_high), &ok);
    attrib__json_set(e, "shape", json_string(shape_name(s->shape)), &ok);
    if (s->gaps) attrib__json_set(e, "gaps", json_true(), &ok);
  }
  attrib__json_set(o, "breakdown",
                   h->breakdown_search == ATTRIB_HONEST_FOUND ? attrib__json_num(h->breakdown) : json_null(), &ok);
  attrib__json_set(o, "breakdown_status", json_string(search_name(h->breakdown_search)), &ok);
  attrib__json_set(o, "breakeven_roi",
                   be && be->search == ATTRIB_HONEST_FOUND ? attrib__json_num(be->m) : json_null(), &ok);
  if (be) {
    attrib__json_set(o, "breakeven_effect", attrib__json_num(be->effect), &ok);
    attrib__json_set(o, "breakeven_status", json_string(search_name(be->search)), &ok);
  }
  if (!ok) {
    json_decref(o);
    return NULL;
  }
  return o;
}

int attrib__text_honest(FILE *out, const attrib_honest_result *h, const attrib_honest_breakeven_result *be) {
  const int rm = h->restriction == ATTRIB_HONEST_RM;
  const char *mname = rm ? "Mbar" : "M";
  int bad = 0;
  char tgt[64];
  if (h->target == ATTRIB_HONEST_TARGET_AVERAGE)
    snprintf(tgt, sizeof tgt, "the average of the %zu post-period effects", h->n_post);
  else target_text(tgt, sizeof tgt, h);
  bad |= fprintf(out, "Honest parallel-trends bounds (Rambachan & Roth 2023), %g%% sets\n", 100 * h->level) < 0;
  bad |= fprintf(out, "Restriction: %s\n",
                 rm ? "relative magnitudes, post changes <= Mbar x the largest pre change"
                    : "smoothness, second differences within +-M") < 0;
  bad |= fprintf(out, "Method: %s\n",
                 h->method == ATTRIB_HONEST_FLCI ? "optimal fixed-length CI"
                 : h->method == ATTRIB_HONEST_CONDITIONAL ? "conditional test (ARP)"
                                                          : "conditional / least-favourable hybrid test (ARP)") < 0;
  bad |= fprintf(out, "Target: %s; %zu pre and %zu post periods\n", tgt, h->n_pre, h->n_post) < 0;
  bad |= fprintf(out, "Under parallel trends: %.4g [%.4g, %.4g]\n", h->estimate, h->ci_low, h->ci_high) < 0;
  bad |= fprintf(out, "%10s %12s %12s\n", mname, "ci_low", "ci_high") < 0;
  for (size_t i = 0; i < h->n_sets; i++) {
    const attrib_honest_set *s = &h->sets[i];
    if (s->shape == ATTRIB_HONEST_EMPTY) {
      bad |= fprintf(out, "%10.4g %25s\n", s->m, "empty: the data reject it") < 0;
      continue;
    }
    bad |= fprintf(out, "%10.4g %12.4g %12.4g%s\n", s->m, s->ci_low, s->ci_high, s->gaps ? "  (hull: not an interval)" : "") < 0;
  }
  if (h->breakdown_search == ATTRIB_HONEST_FOUND)
    bad |= fprintf(out, "Breakdown: the set excludes zero up to %s = %.4g\n", mname, h->breakdown) < 0;
  else if (h->breakdown_search == ATTRIB_HONEST_NOT_AT_ZERO)
    bad |= fprintf(out, "Breakdown: none, the set includes zero even at %s = 0\n", mname) < 0;
  else bad |= fprintf(out, "Breakdown: the set excludes zero at least up to %s = %.4g\n", mname, h->breakdown) < 0;
  if (be) {
    if (be->search == ATTRIB_HONEST_FOUND) /* the set's end on the break-even effect's side: lower above it, upper below */
      bad |= fprintf(out, "Break-even: the %s end stays %s the break-even effect %.4g unless %s > %.4g\n",
                     h->estimate >= be->effect ? "lower" : "upper", h->estimate >= be->effect ? "above" : "below",
                     be->effect, mname, be->m) < 0;
    else if (be->search == ATTRIB_HONEST_NOT_AT_ZERO)
      bad |= fprintf(out, "Break-even: the set includes the break-even effect %.4g even at %s = 0\n", be->effect,
                     mname) < 0;
    else
      bad |= fprintf(out, "Break-even: the set stays beyond the break-even effect %.4g at least up to %s = %.4g\n",
                     be->effect, mname, be->m) < 0;
  }
  return bad;
}

attrib_status attrib_report_write_honest(FILE *out, const attrib_honest_result *h,
                                         const attrib_honest_breakeven_result *be, attrib_report_format fmt,
                                         attrib_error *err) {
  if (!out || !h) return attrib__fail(err, ATTRIB_EINVAL, "attrib_report_write_honest: NULL argument");
  if (fmt == ATTRIB_FORMAT_JSON) {
    json_t *root = json_object();
    int ok = root != NULL;
    attrib__json_set(root, "honest", attrib__json_honest(h, be), &ok);
    return attrib__json_write(out, root, ok, err);
  }
  int bad = 0;
  if (fmt == ATTRIB_FORMAT_CSV) {
    bad |= fprintf(out, "%s,ci_low,ci_high,shape\n", h->restriction == ATTRIB_HONEST_RM ? "mbar" : "m") < 0;
    for (size_t i = 0; i < h->n_sets; i++)
      bad |= fprintf(out, "%.17g,%.17g,%.17g,%s\n", h->sets[i].m, h->sets[i].ci_low, h->sets[i].ci_high,
                     shape_name(h->sets[i].shape)) < 0;
  } else {
    bad |= attrib__text_honest(out, h, be);
  }
  return bad ? attrib__fail(err, ATTRIB_EIO, "cannot write the output") : ATTRIB_OK;
}
