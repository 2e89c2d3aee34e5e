//! The certificate as a PDF: A4, Chinese text in an embedded (subsetted) CJK font, the
//! certificate number, its dates, and a QR code of the public verification URL.

use super::model::{Certificate, CertificateState};
use crate::domain::format_time;
use crate::error::AppError;
use crate::i18n::{Lang, t};
use krilla::Document;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, LineCap, LineJoin, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use std::sync::Arc;

const A4: (f32, f32) = (595.28, 841.89);
const RED: (u8, u8, u8) = (199, 0, 11);
const INK: (u8, u8, u8) = (38, 38, 38);
const GREY: (u8, u8, u8) = (110, 110, 110);

/// Where a CJK font is looked for when `PC_CERT_FONT` does not name one (Debian's
/// fonts-wqy-microhei, fonts-wqy-zenhei and fonts-arphic-uming).
pub const FONT_CANDIDATES: [&str; 3] = [
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
];

/// The font certificates are drawn with: its bytes, loaded once at start.
#[derive(Clone)]
pub struct CertFont(Arc<Vec<u8>>);

impl CertFont {
    /// Loads the configured font (`--cert-font` / `PC_CERT_FONT`), or the first candidate that
    /// exists. `None` (with a warning) when there is none: the app runs, but certificates cannot
    /// be downloaded.
    pub fn load(configured: Option<&str>) -> Option<CertFont> {
        let paths: Vec<String> = match configured {
            Some(p) => vec![p.to_string()],
            None => FONT_CANDIDATES.iter().map(|p| p.to_string()).collect(),
        };
        for path in &paths {
            match std::fs::read(path) {
                Ok(bytes) if Font::new(Arc::new(bytes.clone()).into(), 0).is_some() => {
                    tracing::info!(font = %path, "certificate font loaded");
                    return Some(CertFont(Arc::new(bytes)));
                }
                Ok(_) => tracing::warn!(font = %path, "not a usable font"),
                Err(_) => {}
            }
        }
        tracing::warn!(
            tried = ?paths,
            "no CJK font for certificates (install fonts-wqy-microhei or set PC_CERT_FONT)"
        );
        None
    }
}

/// Measures text with the font's own advances, for centring.
struct Measure<'a>(rustybuzz::Face<'a>);

impl Measure<'_> {
    fn width(&self, text: &str, size: f32) -> f32 {
        let upem = self.0.units_per_em() as f32;
        let units: f32 = text
            .chars()
            .map(|c| {
                self.0
                    .glyph_index(c)
                    .and_then(|g| self.0.glyph_hor_advance(g))
                    .map_or(upem, f32::from)
            })
            .sum();
        units / upem * size
    }
}

struct Canvas<'s, 'm> {
    surface: Surface<'s>,
    font: Font,
    measure: &'m Measure<'m>,
}

fn fill(rgb: (u8, u8, u8)) -> Fill {
    Fill {
        paint: krilla::color::rgb::Color::new(rgb.0, rgb.1, rgb.2).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

impl Canvas<'_, '_> {
    fn text(&mut self, x: f32, y: f32, size: f32, rgb: (u8, u8, u8), text: &str) {
        self.surface.set_fill(Some(fill(rgb)));
        self.surface.draw_text(
            Point::from_xy(x, y),
            self.font.clone(),
            size,
            text,
            false,
            TextDirection::Auto,
        );
    }

    /// Centred on the page; shrunk to fit `max_width` when needed.
    fn centred(&mut self, y: f32, size: f32, rgb: (u8, u8, u8), text: &str, max_width: f32) {
        let natural = self.measure.width(text, size);
        let size = if natural > max_width {
            size * max_width / natural
        } else {
            size
        };
        let w = self.measure.width(text, size);
        self.text((A4.0 - w) / 2.0, y, size, rgb, text);
    }

    fn frame(&mut self, inset: f32, width: f32) {
        let mut pb = PathBuilder::new();
        if let Some(r) = Rect::from_xywh(inset, inset, A4.0 - 2.0 * inset, A4.1 - 2.0 * inset) {
            pb.push_rect(r);
        }
        if let Some(path) = pb.finish() {
            self.surface.set_fill(None);
            self.surface.set_stroke(Some(Stroke {
                paint: krilla::color::rgb::Color::new(RED.0, RED.1, RED.2).into(),
                width,
                miter_limit: 4.0,
                line_cap: LineCap::Butt,
                line_join: LineJoin::Miter,
                opacity: NormalizedF32::ONE,
                dash: None,
            }));
            self.surface.draw_path(&path);
            self.surface.set_stroke(None);
        }
    }

    /// A QR code of `data`, `size` points wide, top-left at (x, y).
    fn qr(&mut self, x: f32, y: f32, size: f32, data: &str) -> Result<(), AppError> {
        let code = qrcode::QrCode::new(data.as_bytes()).map_err(|e| {
            tracing::error!(error = %e, "QR code");
            AppError::Internal
        })?;
        let n = code.width();
        let cell = size / n as f32;
        let mut pb = PathBuilder::new();
        for (i, c) in code.to_colors().into_iter().enumerate() {
            if c == qrcode::Color::Dark
                && let Some(r) = Rect::from_xywh(
                    x + (i % n) as f32 * cell,
                    y + (i / n) as f32 * cell,
                    cell,
                    cell,
                )
            {
                pb.push_rect(r);
            }
        }
        if let Some(path) = pb.finish() {
            self.surface.set_fill(Some(fill((0, 0, 0))));
            self.surface.draw_path(&path);
        }
        Ok(())
    }
}

fn day(ms: i64) -> String {
    format_time(ms).chars().take(10).collect()
}

/// Renders the certificate. `verify_url` is the public page that confirms it.
pub fn render(font: &CertFont, cert: &Certificate, verify_url: &str) -> Result<Vec<u8>, AppError> {
    let internal = |what: &str| {
        tracing::error!(what, "certificate rendering failed");
        AppError::Internal
    };
    let data: krilla::Data = font.0.clone().into();
    let kfont = Font::new(data, 0).ok_or_else(|| internal("font"))?;
    let face = rustybuzz::Face::from_slice(&font.0, 0).ok_or_else(|| internal("face"))?;
    let measure = Measure(face);
    let zh = |k: &str| t(Lang::Zh, k);
    let en = |k: &str| t(Lang::En, k);
    let subject = cert.subject_key();

    let mut document = Document::new();
    document.set_metadata(
        krilla::metadata::Metadata::new()
            .title(format!("{} {}", zh("cert.pdf.title"), cert.number))
            .language("zh-CN".into())
            .creator(zh("brand").to_string()),
    );
    let settings = PageSettings::from_wh(A4.0, A4.1).ok_or_else(|| internal("page"))?;
    let mut page = document.start_page_with(settings);
    {
        let mut c = Canvas {
            surface: page.surface(),
            font: kfont,
            measure: &measure,
        };
        c.frame(28.0, 3.0);
        c.frame(38.0, 0.8);
        c.centred(150.0, 34.0, RED, zh("cert.pdf.title"), 460.0);
        c.centred(180.0, 12.0, GREY, en("cert.pdf.title"), 460.0);
        if cert.state == CertificateState::Expired {
            // Printed after its end date: say so where nobody can miss it, as `/verify` does.
            let mark = format!(
                "{} / {}",
                zh("cert.state.expired"),
                en("cert.state.expired")
            );
            c.centred(222.0, 26.0, RED, &mark, 460.0);
        }
        c.centred(260.0, 15.0, INK, zh("cert.pdf.certify"), 460.0);
        c.centred(310.0, 24.0, INK, &cert.partner_name, 470.0);
        c.centred(360.0, 15.0, INK, zh("cert.pdf.joined"), 460.0);
        c.centred(405.0, 22.0, RED, zh(subject), 460.0);
        c.centred(432.0, 12.0, GREY, en(subject), 460.0);

        let rows = [
            ("cert.number", cert.number.clone()),
            ("cert.issued_at", day(cert.issued_at)),
            ("cert.expires_at", day(cert.expires_at)),
        ];
        let mut y = 520.0;
        for (key, value) in rows {
            c.text(90.0, y, 12.0, GREY, &format!("{} / {}", zh(key), en(key)));
            c.text(285.0, y, 13.0, INK, &value);
            y += 28.0;
        }
        c.qr(90.0, 630.0, 110.0, verify_url)?;
        c.text(220.0, 660.0, 11.0, GREY, zh("cert.pdf.scan"));
        c.text(220.0, 678.0, 9.0, GREY, en("cert.pdf.scan"));
        c.text(220.0, 700.0, 10.0, INK, verify_url);
        c.centred(790.0, 10.0, GREY, zh("brand"), 460.0);
        c.surface.finish();
    }
    page.finish();
    document.finish().map_err(|e| {
        tracing::error!(error = ?e, "PDF");
        AppError::Internal
    })
}
