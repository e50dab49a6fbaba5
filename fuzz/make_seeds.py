#!/usr/bin/env python3
"""Writes the project-written seed inputs of the fuzz targets whose inputs carry a binary header
(dateline, dates, attribution, consolidation, capi, model edits, cue tagger model, tsv) into fuzz/corpus/<name>/.
The texts are the project's own. fuzz/corpus/model/tiny_raw.bin is written by the model fuzzer
itself: NEWSPARSE_WRITE_MODEL_SEED=fuzz/corpus/model/tiny_raw.bin build/fuzz/fuzz/model_fuzzer
"""
import os
import struct
import zlib

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")

ARTICLE = (
    "By MARTA OKONJO\n"
    "NAIROBI, Kenya, March 4 (Wire) -- The central bank held rates on Tuesday, "
    "Governor Amina Rotich said. \"We will watch prices closely,\" she told reporters, "
    "adding that the Kenya Shilling Board (KSB) would meet again in June. "
    "Finance Minister John Mbeki said last week the budget was on track.\n\n"
    "(Reporting by Marta Okonjo; Editing by Lee Park)\n"
)
XINHUA = ("BEIJING, Oct. 3 (Xinhua) -- Officials said on Monday that trade rose, "
          "according to the ministry. Enditem\n")
RUSSIAN = "МОСКВА, 23 февраля (ТАСС) -- Министр заявил, что переговоры продолжатся.\n"
QUOTES = "“Yes,” he said. «Non», a-t-elle dit. 'Maybe' -- \"no (really\" ( ( said he.\n"
SPEAKERS = "PENCE: We are ready.\nSMITH: So are we.\n\"It works\" ― Jane Doe\n"


def write(name, file, data):
    folder = os.path.join(ROOT, name)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, file), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def main():
    # dateline: byte 0 = reference date switch (bit 7) and value.
    write("dateline", "article.bin", b"\x85" + ARTICLE.encode())
    write("dateline", "xinhua.bin", b"\x00" + XINHUA.encode())
    write("dateline", "russian.bin", b"\x90" + RUSSIAN.encode())
    write("dateline", "metadata.bin", b"\x00 date 2023-02-23 " + XINHUA.encode())
    # dates: byte 0 = reference, byte 1 = first token.
    write("dates", "article.bin", b"\xc9\x05" + ARTICLE.encode())
    write("dates", "forms.bin", b"\xc9\x00" + (
        "On Wednesday the board will meet on Friday; yesterday it said March 3, 2024 and "
        "Feb. 20 were set, in June or before July, last week, earlier this month, last year, "
        "2023-02-23.").encode())
    # attribution: byte 0 bit 0 = with entities.
    write("attribution", "article.bin", b"\x01" + ARTICLE.encode())
    write("attribution", "quotes.bin", b"\x00" + QUOTES.encode())
    write("attribution", "speakers.bin", b"\x01" + SPEAKERS.encode())
    # consolidation: k, k control bytes, text.
    text = ("Governor Amina Rotich of the Kenya Shilling Board (KSB) spoke. Rotich said the KSB "
            "and Finance Minister John Mbeki agreed; Mbeki, director of the Treasury, left.")
    n_tokens = 40
    control = bytes([0x01 if i % 3 == 0 else (0x15 if i % 5 == 0 else 0) for i in range(n_tokens)])
    write("consolidation", "article.bin", bytes([n_tokens]) + control + text.encode())
    write("consolidation", "none.bin", b"\x00" + text.encode())
    # capi: flags, error struct_size, options struct_size, 64 bytes of options contents, text.
    def capi(flags, error_size, options_size, contents, body):
        contents = contents.ljust(64, b"\x00")
        return bytes([flags]) + struct.pack("<II", error_size, options_size) + contents + body
    # parse options after struct_size: stages, ref_year, ref_month, ref_day, reserved0, flags.
    opts = struct.pack("<IiBBHII", 0xF, 2024, 3, 4, 0, 0, 0)
    write("capi", "parse.bin", capi(0x00, 272, 24, opts, ARTICLE.encode()))
    write("capi", "short_structs.bin", capi(0x00, 8, 8, opts, XINHUA.encode()))
    write("capi", "long_structs.bin", capi(0x02, 160, 160, opts, RUSSIAN.encode()))
    write("capi", "zero_sizes.bin", capi(0x00, 0, 0, opts, QUOTES.encode()))
    write("capi", "too_large.bin", capi(0x01, 272, 24, opts, ARTICLE.encode()))
    write("capi", "nulls.bin", capi(0x40, 272, 24, opts, b"x"))
    write("capi", "open.bin", capi(0x80, 272, 24, b"\x00" * 64, b"data"))
    # model: byte 0 = 0 (edits) or 2 (edits, CRC fixed); 4-byte edits (offset, op, value).
    write("model", "untouched.bin", b"\x00")
    write("model", "flip_header.bin", b"\x02" + bytes([0, 12, 0, 0x40]))
    write("model", "truncate.bin", b"\x02" + bytes([0x02, 0x00, 2, 0]))
    write("model", "insert.bin", b"\x02" + bytes([0x01, 0x80, 3, 0x7f, 0x00, 0x30, 0, 0x01]))
    # cue_tagger: byte 0 bit 0 = recompute the trailing CRC32; then a model image (core/cue_tagger.h):
    # magic, version 1, 3 labels, feature flags, context bound, weight scale, rows, CRC32.
    def cue_tagger(flags, rows, scale=32767.0 / 4.0, bound=1.5):
        body = b"NPCUETAG" + struct.pack("<IIIffI", 1, 3, flags, bound, scale, len(rows))
        for key, weights in rows:
            body += struct.pack("<Q3h", key, *weights)
        return body + struct.pack("<I", zlib.crc32(body) & 0xFFFFFFFF)
    rows = [(0x1234, (8000, -32767, 100)), (0x9E3779B97F4A7C15, (0, 32767, -16000))]
    write("cue_tagger", "two_rows.bin", b"\x00" + cue_tagger(1, rows))
    write("cue_tagger", "no_rows.bin", b"\x00" + cue_tagger(0, []))
    write("cue_tagger", "unknown_flags_recrc.bin", b"\x01" + cue_tagger(6, rows))
    # tsv: byte 0 picks the loader (0 gazetteer, 2 clusters, 4 cue lexicon; 1, 3 their images).
    write("tsv", "gazetteer.tsv", b"\x00# phrase\tcategories\nnew york\tloc.city\n"
          b"finance minister\tper.title\nbank of oslo\torg.known,loc.city\n")
    write("tsv", "clusters.tsv", b"\x02# word\tclasses\tlog2\nthe\t6\t255\t885\t21\n"
          b"minister\t40\t120\t700\t12\nParis\t3\t9\t27\t11\n")
    write("tsv", "cues.tsv", b"\x04# cue\tkind\tgold\tcorpus\nsaid\tverb\t100\t120\n"
          b"told\tverb\t50\t60\naccording to\tlearned\t30\t31\n")


if __name__ == "__main__":
    main()
