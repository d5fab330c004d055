/* gs-video-encode.c: the encoder module (gs-video-module.h), FFmpeg's:
 * VP9 in WebM, H.264 in MP4, GIF through libavfilter's palettegen and
 * paletteuse (one palette made from frames across the whole video, so
 * colours hold still). */
#define G_LOG_DOMAIN "gs-video"

#include "gs-video-module.h"

#include <libavcodec/avcodec.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>

/* The program's gs_video_error_quark () is not linked in here. */
#undef GS_VIDEO_ERROR
#define GS_VIDEO_ERROR g_quark_from_static_string (GS_VIDEO_ERROR_NAME)

typedef struct
{
  const char *muxer, *encoder, *what;
  const char *options; /* the encoder's, "key=value:..." */
} Format;

/* Chosen on bench/video.sh's numbers (bench/RESULTS.md): quality good
 * enough for thin lines and text at a fraction of the time of slower
 * settings. */
static const Format formats[GS_N_VIDEO_FORMATS] = {
  { "webm", "libvpx-vp9", "VP9 (libvpx)",
    "deadline=realtime:cpu-used=8:row-mt=1:crf=15:b=0:lag-in-frames=0" },
  { "mp4", "libx264", "H.264 (libx264)", "preset=veryfast:crf=20:tune=stillimage" },
  { "gif", "gif", "GIF", "" },
};

struct _GsVideoEncoder
{
  const GsVideoSpec *spec;
  char              *path; /* what errors name */
  char              *file; /* what is written */
  AVFormatContext   *fmt;
  AVCodecContext    *codec;
  AVStream          *stream;
  AVFrame           *frame; /* the encoder's input: YUV 4:2:0 or, for a GIF, a paletted frame */
  AVPacket          *pkt;
  struct SwsContext *sws;   /* ARGB to YUV */
  AVFilterGraph     *graph; /* GIF: the frame and the palette into paletteuse */
  AVFilterContext   *src, *sink;
  int64_t            pts;
};

static gboolean
av_fail (GError **error, const char *path, const char *what, int err)
{
  char msg[AV_ERROR_MAX_STRING_SIZE] = "";

  av_strerror (err, msg, sizeof msg);
  g_set_error (error, GS_VIDEO_ERROR, GS_VIDEO_ERROR_ENCODE, "%s: %s: %s", path, what, msg);
  return FALSE;
}

static gboolean
available (GsVideoFormat f, GError **error)
{
  const Format *F = &formats[f];

  if (avcodec_find_encoder_by_name (F->encoder) == NULL || av_guess_format (F->muxer, NULL, NULL) == NULL
      || (f == GS_VIDEO_GIF && (avfilter_get_by_name ("palettegen") == NULL)))
    {
      g_set_error (error, GS_VIDEO_ERROR, GS_VIDEO_ERROR_UNAVAILABLE,
                   "%s: this FFmpeg has no %s encoder; install Debian's libavcodec%d, libavformat%d and "
                   "libavfilter%d (or the -extra variants)",
                   F->muxer, F->what, LIBAVCODEC_VERSION_MAJOR, LIBAVFORMAT_VERSION_MAJOR,
                   LIBAVFILTER_VERSION_MAJOR);
      return FALSE;
    }
  return TRUE;
}

/* An ARGB32 cairo surface as an AVFrame (no copy): cairo's ARGB32 is
 * FFmpeg's RGB32 (native-endian 0xAARRGGBB); opaque, so premultiplying
 * changes nothing. */
static void
wrap_surface (AVFrame *f, cairo_surface_t *s, int64_t pts)
{
  f->format = AV_PIX_FMT_RGB32;
  f->width = cairo_image_surface_get_width (s);
  f->height = cairo_image_surface_get_height (s);
  f->data[0] = cairo_image_surface_get_data (s);
  f->linesize[0] = cairo_image_surface_get_stride (s);
  f->pts = pts;
}

static AVFilterContext *
add_buffer (GsVideoEncoder *e, const char *name, int w, int h)
{
  AVFilterContext *c = NULL;
  g_autofree char *args = g_strdup_printf ("video_size=%dx%d:pix_fmt=%d:time_base=1/%d:pixel_aspect=1/1", w,
                                           h, AV_PIX_FMT_RGB32, e->spec->fps);

  return avfilter_graph_create_filter (&c, avfilter_get_by_name ("buffer"), name, args, NULL, e->graph) < 0
             ? NULL
             : c;
}

/* palettegen over the sample frames: a 16 x 16 frame of 256 colours. */
static AVFrame *
make_palette (GsVideoEncoder *e, cairo_surface_t **samples, guint n, GError **error)
{
  AVFilterContext *gen = NULL, *sink = NULL, *src;
  AVFrame         *in = av_frame_alloc (), *pal = av_frame_alloc ();
  int              err;

  e->graph = avfilter_graph_alloc ();
  src = add_buffer (e, "in", e->spec->width, e->spec->height);
  err = src == NULL ? AVERROR (EINVAL)
                    : avfilter_graph_create_filter (&gen, avfilter_get_by_name ("palettegen"), "gen",
                                                    "stats_mode=full:max_colors=256", NULL, e->graph);
  if (err >= 0)
    err = avfilter_graph_create_filter (&sink, avfilter_get_by_name ("buffersink"), "out", NULL, NULL,
                                        e->graph);
  if (err >= 0 && (err = avfilter_link (src, 0, gen, 0)) >= 0 && (err = avfilter_link (gen, 0, sink, 0)) >= 0)
    err = avfilter_graph_config (e->graph, NULL);
  for (guint i = 0; err >= 0 && i < n; i++)
    {
      wrap_surface (in, samples[i], i);
      err = av_buffersrc_write_frame (src, in);
    }
  if (err >= 0 && (err = av_buffersrc_add_frame (src, NULL)) >= 0)
    err = av_buffersink_get_frame (sink, pal);
  av_frame_free (&in);
  avfilter_graph_free (&e->graph);
  if (err < 0)
    {
      av_frame_free (&pal);
      av_fail (error, e->path, "cannot make the GIF's palette", err);
    }
  return pal;
}

/* The frames and the palette into paletteuse; the palette's stream ends at
 * once and paletteuse keeps using its one frame. */
static gboolean
open_gif_graph (GsVideoEncoder *e, AVFrame *palette, GError **error)
{
  AVFilterContext *use = NULL, *pal;
  int              err;

  e->graph = avfilter_graph_alloc ();
  e->src = add_buffer (e, "in", e->spec->width, e->spec->height);
  pal = add_buffer (e, "palette", palette->width, palette->height);
  err = e->src == NULL || pal == NULL
            ? AVERROR (EINVAL)
            : avfilter_graph_create_filter (&use, avfilter_get_by_name ("paletteuse"), "use",
                                            "dither=none:diff_mode=rectangle", NULL, e->graph);
  if (err >= 0)
    err = avfilter_graph_create_filter (&e->sink, avfilter_get_by_name ("buffersink"), "out", NULL, NULL,
                                        e->graph);
  if (err >= 0 && (err = avfilter_link (e->src, 0, use, 0)) >= 0
      && (err = avfilter_link (pal, 0, use, 1)) >= 0 && (err = avfilter_link (use, 0, e->sink, 0)) >= 0)
    err = avfilter_graph_config (e->graph, NULL);
  if (err >= 0 && (err = av_buffersrc_write_frame (pal, palette)) >= 0)
    err = av_buffersrc_add_frame (pal, NULL);
  return err >= 0 || av_fail (error, e->path, "cannot set up the GIF's palette", err);
}

static void
set_color (AVCodecContext *c, enum AVPixelFormat pix)
{
  c->pix_fmt = pix;
  if (pix == AV_PIX_FMT_PAL8)
    return;
  /* BT.709, limited range: what players assume for HD, and what the
   * converter is told (below). */
  c->colorspace = AVCOL_SPC_BT709;
  c->color_primaries = AVCOL_PRI_BT709;
  c->color_trc = AVCOL_TRC_BT709;
  c->color_range = AVCOL_RANGE_MPEG;
}

static gboolean
open_codec (GsVideoEncoder *e, GError **error)
{
  const Format    *F = &formats[e->spec->format];
  const AVCodec   *codec = avcodec_find_encoder_by_name (F->encoder);
  AVCodecContext  *c = e->codec = avcodec_alloc_context3 (codec);
  g_autofree char *what = g_strdup_printf ("cannot open the %s encoder", F->what);
  AVDictionary    *opts = NULL;
  int              err;

  c->width = e->spec->width;
  c->height = e->spec->height;
  c->time_base = (AVRational){ 1, e->spec->fps };
  c->framerate = (AVRational){ e->spec->fps, 1 };
  c->gop_size = 10 * e->spec->fps;
  c->thread_count = 0; /* as many as there are cores */
  set_color (c, e->spec->format == GS_VIDEO_GIF ? AV_PIX_FMT_PAL8 : AV_PIX_FMT_YUV420P);
  if (e->fmt->oformat->flags & AVFMT_GLOBALHEADER)
    c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  av_dict_parse_string (&opts, F->options, "=", ":", 0);
  err = avcodec_open2 (c, codec, &opts);
  av_dict_free (&opts);
  if (err < 0)
    return av_fail (error, e->path, what, err);
  e->stream = avformat_new_stream (e->fmt, NULL);
  e->stream->time_base = c->time_base;
  e->stream->avg_frame_rate = c->framerate;
  err = avcodec_parameters_from_context (e->stream->codecpar, c);
  return err >= 0 || av_fail (error, e->path, what, err);
}

static gboolean
open_yuv (GsVideoEncoder *e, GError **error)
{
  const int *coefs = sws_getCoefficients (SWS_CS_ITU709);
  int        err;

  e->sws = sws_getContext (e->spec->width, e->spec->height, AV_PIX_FMT_RGB32, e->spec->width, e->spec->height,
                           AV_PIX_FMT_YUV420P, SWS_BICUBIC | SWS_ACCURATE_RND, NULL, NULL, NULL);
  if (e->sws == NULL)
    return av_fail (error, e->path, "cannot convert the frames to YUV", AVERROR (EINVAL));
  sws_setColorspaceDetails (e->sws, coefs, 1, coefs, 0, 0, 1 << 16, 1 << 16);
  e->frame->format = AV_PIX_FMT_YUV420P;
  e->frame->width = e->spec->width;
  e->frame->height = e->spec->height;
  err = av_frame_get_buffer (e->frame, 0);
  return err >= 0 || av_fail (error, e->path, "out of memory", err);
}

static gboolean
open_output (GsVideoEncoder *e, GError **error)
{
  g_autofree char *url = g_strconcat ("file:", e->file, NULL);
  AVDictionary    *opts = NULL;
  int              err = avformat_alloc_output_context2 (&e->fmt, NULL, formats[e->spec->format].muxer, url);

  if (err < 0)
    return av_fail (error, e->path, "cannot start the file", err);
  if ((err = avio_open (&e->fmt->pb, url, AVIO_FLAG_WRITE)) < 0)
    return av_fail (error, e->path, "cannot open the file", err);
  if (!open_codec (e, error))
    return FALSE;
  if (e->spec->format == GS_VIDEO_MP4)
    av_dict_set (&opts, "movflags", "+faststart", 0); /* plays while it loads */
  err = avformat_write_header (e->fmt, &opts);
  av_dict_free (&opts);
  return err >= 0 || av_fail (error, e->path, "cannot write the file's header", err);
}

static void encoder_free (GsVideoEncoder *e);

static GsVideoEncoder *
encoder_open (const GsVideoSpec *spec,
              const char        *path,
              const char        *file,
              cairo_surface_t  **palette_frames,
              guint              n_palette_frames,
              GError           **error)
{
  GsVideoEncoder *e = g_new0 (GsVideoEncoder, 1);
  AVFrame        *palette = NULL;
  gboolean        ok;

  e->spec = spec;
  e->path = g_strdup (path);
  e->file = g_strdup (file);
  e->frame = av_frame_alloc ();
  e->pkt = av_packet_alloc ();
  av_log_set_level (AV_LOG_ERROR);
  ok = open_output (e, error);
  if (ok && spec->format == GS_VIDEO_GIF)
    ok = (palette = make_palette (e, palette_frames, n_palette_frames, error)) != NULL
         && open_gif_graph (e, palette, error);
  else if (ok)
    ok = open_yuv (e, error);
  av_frame_free (&palette);
  if (!ok)
    return encoder_free (e), NULL;
  return e;
}

/* Sends frame (NULL: the end) and writes what the encoder gives back. */
static gboolean
encode (GsVideoEncoder *e, AVFrame *frame, GError **error)
{
  int err = avcodec_send_frame (e->codec, frame);

  while (err >= 0)
    {
      err = avcodec_receive_packet (e->codec, e->pkt);
      if (err == AVERROR (EAGAIN) || err == AVERROR_EOF)
        return TRUE;
      if (err < 0)
        break;
      if (e->pkt->duration == 0)
        e->pkt->duration = 1;
      av_packet_rescale_ts (e->pkt, e->codec->time_base, e->stream->time_base);
      e->pkt->stream_index = e->stream->index;
      err = av_interleaved_write_frame (e->fmt, e->pkt);
    }
  return av_fail (error, e->path, "cannot encode a frame", err);
}

static gboolean
add_gif (GsVideoEncoder *e, AVFrame *rgb, GError **error)
{
  int err = av_buffersrc_write_frame (e->src, rgb);

  while (err >= 0)
    {
      av_frame_unref (e->frame);
      err = av_buffersink_get_frame (e->sink, e->frame);
      if (err == AVERROR (EAGAIN))
        return TRUE;
      if (err < 0 || !encode (e, e->frame, error))
        break;
    }
  return err >= 0 ? FALSE : av_fail (error, e->path, "cannot map a frame to the palette", err);
}

static gboolean
encoder_add (GsVideoEncoder *e, cairo_surface_t *frame, GError **error)
{
  AVFrame *rgb = av_frame_alloc ();
  gboolean ok;
  int      err;

  wrap_surface (rgb, frame, e->pts++);
  if (e->spec->format == GS_VIDEO_GIF)
    ok = add_gif (e, rgb, error);
  else if ((err = av_frame_make_writable (e->frame)) < 0)
    ok = av_fail (error, e->path, "out of memory", err);
  else
    {
      sws_scale (e->sws, (const uint8_t *const *) rgb->data, rgb->linesize, 0, e->spec->height,
                 e->frame->data, e->frame->linesize);
      e->frame->pts = rgb->pts;
      ok = encode (e, e->frame, error);
    }
  av_frame_free (&rgb);
  return ok;
}

static gboolean
encoder_finish (GsVideoEncoder *e, GError **error)
{
  gboolean ok = TRUE;
  int      err;

  if (e->spec->format == GS_VIDEO_GIF && (err = av_buffersrc_add_frame (e->src, NULL)) < 0)
    ok = av_fail (error, e->path, "cannot finish the GIF", err);
  while (ok && e->spec->format == GS_VIDEO_GIF && av_buffersink_get_frame (e->sink, e->frame) >= 0)
    ok = encode (e, e->frame, error), av_frame_unref (e->frame);
  ok = ok && encode (e, NULL, error);
  if (ok && (err = av_write_trailer (e->fmt)) < 0)
    ok = av_fail (error, e->path, "cannot finish the file", err);
  if (ok && (err = avio_closep (&e->fmt->pb)) < 0)
    ok = av_fail (error, e->path, "cannot write the file", err);
  return ok;
}

static void
encoder_free (GsVideoEncoder *e)
{
  if (e == NULL)
    return;
  if (e->fmt)
    avio_closep (&e->fmt->pb);
  avformat_free_context (e->fmt);
  avcodec_free_context (&e->codec);
  avfilter_graph_free (&e->graph);
  sws_freeContext (e->sws);
  av_frame_free (&e->frame);
  av_packet_free (&e->pkt);
  g_free (e->path);
  g_free (e->file);
  g_free (e);
}

const GsVideoModule *
gs_video_module (void)
{
  static const GsVideoModule module = {
    GS_VIDEO_MODULE_ABI, available, encoder_open, encoder_add, encoder_finish, encoder_free,
  };

  return &module;
}
