//! Issued documents as PDF/A-2b: an A4 sheet with the commune's heading (Arabic on the right, French on the
//! left), the title, the document's text (each paragraph aligned by its own direction: Arabic right-aligned and
//! laid out right to left, French left-aligned), the date of issue, the verification code and the QR code of the
//! `/verify` address drawn as vector squares, and a footer saying how to verify.
//!
//! Text is shaped by rustybuzz (Arabic letters joined, marks placed) run by run, the runs put in visual order by
//! the Unicode bidirectional algorithm (`unicode-bidi`); krilla writes the glyphs with their text, so that a
//! reader copies or extracts the words in logical order. One font, DejaVu Sans (Arabic, Latin and Tifinagh;
//! its licence beside it in `core/assets/fonts/`), is built into the binary. The output is deterministic: the
//! same sheet gives the same bytes (the creation date is the issue time, the file id a hash of the content), so
//! the SHA-256 of a PDF names it. Rendering is CPU work: async callers run it on a blocking thread.

use std::ops::Range;

use chrono::{DateTime, Datelike, Timelike, Utc};
use krilla::configure::{Archival, ConfigurationBuilder};
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::{DateTime as PdfDateTime, Metadata};
use krilla::page::PageSettings;
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Document, SerializeSettings};
use unicode_bidi::{BidiInfo, Level};

use crate::error::Error;

/// DejaVu Sans 2.37 (Bitstream Vera licence, `core/assets/fonts/LICENSE-dejavu.txt`).
static FONT: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");

/// What a sheet shows, every text already in its language: the renderer knows no language but by direction.
#[derive(Clone, Debug, PartialEq)]
pub struct Sheet {
    /// The heading's lines in Arabic (right), e.g. the state's name, then the commune's.
    pub heading_ar: Vec<String>,
    /// The heading's lines in French (left).
    pub heading_fr: Vec<String>,
    /// The title, one line per language (centred).
    pub title: Vec<String>,
    /// The document's text as issued: paragraphs separated by line breaks.
    pub body: String,
    /// Lines after the text: the date of issue, the verification code (each aligned by its direction).
    pub facts: Vec<String>,
    /// The verification code, printed large beside the QR code.
    pub code: String,
    /// The address the QR code holds (`https://…/verify/{code}`).
    pub verify_url: String,
    /// The footer's lines: how to verify the document.
    pub footer: Vec<String>,
    /// The document's title in its metadata.
    pub metadata_title: String,
    /// The issuer in its metadata (the commune's name).
    pub author: String,
    /// When it was issued: its creation date.
    pub issued_at: DateTime<Utc>,
}

/// The PDF of `sheet`: PDF/A-2b, A4, as many pages as its text needs (each with the verification block).
pub fn render(sheet: &Sheet) -> Result<Vec<u8>, Error> {
    let face = rustybuzz::Face::from_slice(FONT, 0).ok_or_else(|| Error::internal("the PDF font does not load"))?;
    let font = Font::new(FONT.into(), 0).ok_or_else(|| Error::internal("the PDF font does not load"))?;
    let fonts = Fonts { face, font };
    let pages = paginate(&fonts, sheet);

    let configuration = ConfigurationBuilder::new()
        .with_archival_validator(Archival::A2_B)
        .finish()
        .map_err(|error| Error::internal(format!("PDF configuration: {error:?}")))?;
    let settings = SerializeSettings { configuration, ..SerializeSettings::default() };
    let mut document = Document::new_with(settings);
    document.set_metadata(
        Metadata::new()
            .title(sheet.metadata_title.clone())
            .authors(vec![sheet.author.clone()])
            .creator("Jamaa".to_owned())
            .language("ar".to_owned())
            .creation_date(pdf_date(sheet.issued_at))
            .document_id(sheet.code.clone()),
    );
    let Some(a4) = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT) else {
        return Err(Error::internal("A4 is not a page size"));
    };
    for lines in &pages {
        let mut page = document.start_page_with(a4.clone());
        let mut surface = page.surface();
        for line in lines {
            draw_line(&mut surface, &fonts, line);
        }
        draw_verification(&mut surface, &fonts, sheet);
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|error| Error::internal(format!("PDF export: {error:?}")))
}

const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 56.0;
/// Where the text of a page must end: the verification block and the footer are below.
const TEXT_BOTTOM: f32 = PAGE_HEIGHT - 190.0;
const BODY_SIZE: f32 = 11.0;
const QR_SIZE: f32 = 96.0;
const FOOTER_SIZE: f32 = 8.5;
const FOOTER_LEADING: f32 = 13.0;

struct Fonts<'a> {
    face: rustybuzz::Face<'a>,
    font: Font,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Align {
    Left,
    Right,
    Centre,
    /// By the paragraph's own direction: right when it is right to left.
    Natural,
}

/// A line placed on a page: its text, size, baseline and alignment.
#[derive(Clone, Debug)]
struct Placed {
    text: String,
    size: f32,
    baseline: f32,
    align: Align,
    /// The paragraph's base direction, for the visual order of its runs.
    rtl: bool,
}

fn paginate(fonts: &Fonts<'_>, sheet: &Sheet) -> Vec<Vec<Placed>> {
    let mut pages = vec![Vec::new()];
    let mut y = MARGIN;
    let put = |pages: &mut Vec<Vec<Placed>>, placed: Placed| {
        if let Some(page) = pages.last_mut() {
            page.push(placed);
        }
    };
    // The heading: Arabic lines on the right, French ones on the left, row by row.
    let rows = sheet.heading_ar.len().max(sheet.heading_fr.len());
    for row in 0..rows {
        y += 15.0;
        if let Some(text) = sheet.heading_ar.get(row) {
            put(&mut pages, placed(text, 11.0, y, Align::Right));
        }
        if let Some(text) = sheet.heading_fr.get(row) {
            put(&mut pages, placed(text, 11.0, y, Align::Left));
        }
    }
    y += 36.0;
    for (index, text) in sheet.title.iter().enumerate() {
        let size = if index == 0 { 17.0 } else { 14.0 };
        put(&mut pages, placed(text, size, y, Align::Centre));
        y += size + 10.0;
    }
    y += 14.0;
    let width = PAGE_WIDTH - 2.0 * MARGIN;
    let paragraphs = sheet.body.lines().map(str::to_owned).chain(std::iter::once(String::new()));
    for paragraph in paragraphs.chain(sheet.facts.iter().cloned()) {
        if paragraph.trim().is_empty() {
            y += BODY_SIZE * 0.8;
            continue;
        }
        // The lines of a paragraph keep its direction, whatever their own first letter.
        let rtl = is_rtl(&paragraph);
        for line in wrap(fonts, &paragraph, BODY_SIZE, width) {
            y += BODY_SIZE * 1.6;
            if y > TEXT_BOTTOM {
                pages.push(Vec::new());
                y = MARGIN + BODY_SIZE * 1.6;
            }
            put(&mut pages, Placed { rtl, ..placed(&line, BODY_SIZE, y, Align::Natural) });
        }
    }
    pages
}

fn placed(text: &str, size: f32, baseline: f32, align: Align) -> Placed {
    Placed { text: text.to_owned(), size, baseline, align, rtl: is_rtl(text) }
}

/// Whether a paragraph reads right to left: its first strong letter is (UAX #9, rules P2 and P3).
fn is_rtl(text: &str) -> bool {
    BidiInfo::new(text, None).paragraphs.first().is_some_and(|paragraph| paragraph.level.is_rtl())
}

/// A paragraph cut into lines no wider than `width`, at spaces (a word longer than a line stands alone).
fn wrap(fonts: &Fonts<'_>, paragraph: &str, size: f32, width: f32) -> Vec<String> {
    let rtl = is_rtl(paragraph);
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in paragraph.split(' ') {
        let candidate = if current.is_empty() { word.to_owned() } else { format!("{current} {word}") };
        if !current.is_empty() && line_width(fonts, &candidate, rtl, size) > width {
            lines.push(std::mem::replace(&mut current, word.to_owned()));
        } else {
            current = candidate;
        }
    }
    lines.push(current);
    lines
}

/// A line's runs in visual order (left to right on the page), each with its direction.
fn visual_runs(text: &str, rtl: bool) -> Vec<(Range<usize>, bool)> {
    let base = if rtl { Level::rtl() } else { Level::ltr() };
    let info = BidiInfo::new(text, Some(base));
    let Some(paragraph) = info.paragraphs.first() else {
        return Vec::new();
    };
    let (levels, runs) = info.visual_runs(paragraph, paragraph.range.clone());
    runs.into_iter()
        .map(|run| {
            let run_rtl = levels.get(run.start).is_some_and(|level| level.is_rtl());
            (run, run_rtl)
        })
        .collect()
}

fn line_width(fonts: &Fonts<'_>, text: &str, rtl: bool, size: f32) -> f32 {
    visual_runs(text, rtl)
        .into_iter()
        .filter_map(|(range, run_rtl)| text.get(range).map(|run| shape(&fonts.face, run, run_rtl).1 * size))
        .sum()
}

/// Shapes one run of one direction: its glyphs in visual order, with the byte range of the text each stands
/// for, and its advance in ems.
fn shape(face: &rustybuzz::Face<'_>, text: &str, rtl: bool) -> (Vec<KrillaGlyph>, f32) {
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.guess_segment_properties();
    buffer.set_direction(if rtl { rustybuzz::Direction::RightToLeft } else { rustybuzz::Direction::LeftToRight });
    let output = rustybuzz::shape(face, &[], buffer);
    let units = face.units_per_em() as f32;
    let infos = output.glyph_infos();
    let positions = output.glyph_positions();
    let mut glyphs = Vec::with_capacity(infos.len());
    let mut advance = 0.0;
    for (index, (info, position)) in infos.iter().zip(positions).enumerate() {
        let start = info.cluster as usize;
        // The cluster ends where the next cluster in logical order starts: after this glyph's neighbours of the
        // same cluster, forward when left to right, backward when right to left.
        let neighbours: Box<dyn Iterator<Item = &rustybuzz::GlyphInfo>> = if rtl {
            Box::new(infos.get(..index).unwrap_or_default().iter().rev())
        } else {
            Box::new(infos.get(index + 1..).unwrap_or_default().iter())
        };
        let end = neighbours.map(|next| next.cluster as usize).find(|&cluster| cluster != start).unwrap_or(text.len());
        let x_advance = position.x_advance as f32 / units;
        advance += x_advance;
        glyphs.push(KrillaGlyph::new(
            GlyphId::new(info.glyph_id),
            x_advance,
            position.x_offset as f32 / units,
            position.y_offset as f32 / units,
            position.y_advance as f32 / units,
            start..end.max(start),
            None,
        ));
    }
    (glyphs, advance)
}

fn draw_line(surface: &mut Surface<'_>, fonts: &Fonts<'_>, line: &Placed) {
    let width = line_width(fonts, &line.text, line.rtl, line.size);
    let align = match line.align {
        Align::Natural if line.rtl => Align::Right,
        Align::Natural => Align::Left,
        other => other,
    };
    let mut x = match align {
        Align::Right => PAGE_WIDTH - MARGIN - width,
        Align::Centre => (PAGE_WIDTH - width) / 2.0,
        Align::Left | Align::Natural => MARGIN,
    };
    for (range, rtl) in visual_runs(&line.text, line.rtl) {
        let Some(run) = line.text.get(range) else { continue };
        let (glyphs, advance) = shape(&fonts.face, run, rtl);
        surface.draw_glyphs(Point::from_xy(x, line.baseline), &glyphs, fonts.font.clone(), run, line.size, false);
        x += advance * line.size;
    }
}

/// The block at the foot of every page: the QR code on the left, the code beside it, the footer below.
fn draw_verification(surface: &mut Surface<'_>, fonts: &Fonts<'_>, sheet: &Sheet) {
    // The footer's paragraphs wrapped within the margins, each line keeping its paragraph's direction.
    let width = PAGE_WIDTH - 2.0 * MARGIN;
    let footer: Vec<(String, bool)> = sheet
        .footer
        .iter()
        .flat_map(|text| {
            let rtl = is_rtl(text);
            wrap(fonts, text, FOOTER_SIZE, width).into_iter().map(move |line| (line, rtl))
        })
        .collect();
    let top = PAGE_HEIGHT - MARGIN - QR_SIZE - FOOTER_LEADING * footer.len() as f32 - 8.0;
    if let Some(path) = qr_path(&sheet.verify_url, MARGIN, top, QR_SIZE) {
        surface.set_fill(Some(krilla::paint::Fill::default()));
        surface.draw_path(&path);
    }
    let code = Placed {
        text: sheet.code.clone(),
        size: 16.0,
        baseline: top + QR_SIZE / 2.0 + 6.0,
        align: Align::Left,
        rtl: false,
    };
    draw_at(surface, fonts, &code, MARGIN + QR_SIZE + 16.0);
    let mut y = top + QR_SIZE + 10.0;
    for (text, rtl) in footer {
        y += FOOTER_LEADING;
        draw_line(surface, fonts, &Placed { rtl, ..placed(&text, FOOTER_SIZE, y, Align::Natural) });
    }
}

fn draw_at(surface: &mut Surface<'_>, fonts: &Fonts<'_>, line: &Placed, x: f32) {
    let mut x = x;
    for (range, rtl) in visual_runs(&line.text, line.rtl) {
        let Some(run) = line.text.get(range) else { continue };
        let (glyphs, advance) = shape(&fonts.face, run, rtl);
        surface.draw_glyphs(Point::from_xy(x, line.baseline), &glyphs, fonts.font.clone(), run, line.size, false);
        x += advance * line.size;
    }
}

/// The QR code of `address` (error correction M) as one path of squares, `size` points wide at (`x`, `y`).
fn qr_path(address: &str, x: f32, y: f32, size: f32) -> Option<krilla::geom::Path> {
    let code = qrcode::QrCode::with_error_correction_level(address.as_bytes(), qrcode::EcLevel::M).ok()?;
    let modules = code.width();
    let module = size / modules as f32;
    let mut builder = PathBuilder::new();
    for (index, colour) in code.to_colors().into_iter().enumerate() {
        if colour == qrcode::Color::Dark {
            let (row, column) = (index / modules, index % modules);
            let rect = Rect::from_xywh(x + column as f32 * module, y + row as f32 * module, module, module)?;
            builder.push_rect(rect);
        }
    }
    builder.finish()
}

fn pdf_date(at: DateTime<Utc>) -> PdfDateTime {
    let narrow = |value: u32| u8::try_from(value).unwrap_or_default();
    PdfDateTime::new(u16::try_from(at.year()).unwrap_or_default())
        .month(narrow(at.month()))
        .day(narrow(at.day()))
        .hour(narrow(at.hour()))
        .minute(narrow(at.minute()))
        .second(narrow(at.second()))
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sheet() -> Sheet {
        Sheet {
            heading_ar: vec!["المملكة المغربية".into(), "جماعة شفشاون".into()],
            heading_fr: vec!["Royaume du Maroc".into(), "Commune de Chefchaouen".into()],
            title: vec!["مستخرج من رسم الولادة".into(), "Extrait d'acte de naissance".into()],
            body: "الاسم: محمد العلوي\nNom : Mohammed Alaoui\nرقم العقد 12/2026 بتاريخ 2026-03-04".into(),
            facts: vec!["تاريخ الإصدار / Délivré le : 2026-12-06".into()],
            code: "CHF-7K3M-9XQ2-HT4P".into(),
            verify_url: "https://jamaa.example.ma/verify/CHF-7K3M-9XQ2-HT4P".into(),
            footer: vec![
                "تحقق من صحة هذه الوثيقة: امسح الرمز أو زر https://jamaa.example.ma/verify".into(),
                "Vérifiez ce document : scannez le code ou rendez-vous sur https://jamaa.example.ma/verify".into(),
            ],
            metadata_title: "Extrait d'acte de naissance".into(),
            author: "Commune de Chefchaouen".into(),
            issued_at: DateTime::from_timestamp(1_796_000_000, 0).unwrap(),
        }
    }

    #[test]
    fn the_same_sheet_gives_the_same_bytes() {
        let first = render(&sheet()).unwrap();
        assert!(first.starts_with(b"%PDF-"));
        assert_eq!(first, render(&sheet()).unwrap());
        let mut other = sheet();
        other.code = "CHF-7K3M-9XQ2-HT4Q".into();
        assert_ne!(first, render(&other).unwrap());
        if let Ok(path) = std::env::var("JAMAA_PDF_SAMPLE") {
            std::fs::write(path, &first).unwrap();
        }
    }

    #[test]
    fn paragraphs_take_the_direction_of_their_first_letter() {
        assert!(is_rtl("رقم العقد 12/2026"));
        assert!(!is_rtl("Nom : محمد"));
        // An Arabic line with digits: the digits run left to right inside it, the runs laid from the left.
        let runs = visual_runs("رقم 12", true);
        assert_eq!(runs.len(), 2);
        assert!(!runs[0].1 && runs[1].1, "{runs:?}");
    }

    #[test]
    fn a_wrapped_arabic_paragraph_stays_right_to_left() {
        let face = rustybuzz::Face::from_slice(FONT, 0).unwrap();
        let fonts = Fonts { face, font: Font::new(FONT.into(), 0).unwrap() };
        let text = "للتحقق من صحة هذه الوثيقة: امسح رمز QR أو أدخل رمز التحقق في https://jamaa.example.ma/verify";
        let lines = wrap(&fonts, text, BODY_SIZE, 260.0);
        assert!(lines.len() > 1 && is_rtl(text));
        assert!(lines.iter().all(|line| line_width(&fonts, line, true, BODY_SIZE) <= 260.0));
    }

    #[test]
    fn long_paragraphs_wrap_within_the_page() {
        let face = rustybuzz::Face::from_slice(FONT, 0).unwrap();
        let fonts = Fonts { face, font: Font::new(FONT.into(), 0).unwrap() };
        let text = "L'administration n'a pas statué dans le délai légal : son silence vaut acceptation ".repeat(4);
        let lines = wrap(&fonts, text.trim(), BODY_SIZE, 300.0);
        assert!(lines.len() > 3);
        assert!(lines.iter().all(|line| line_width(&fonts, line, false, BODY_SIZE) <= 300.0));
    }
}
