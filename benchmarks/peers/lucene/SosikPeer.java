// Lucene peer for Sosik's benchmarks (Lucene 8.7 from Debian's liblucene8-java).
//
//   index  --analyzer nori|cjk --input plain.jsonl --index DIR
//          [--layout combined|fields|both] [--ram-mb 256]
//   search --analyzer nori|cjk --index DIR --queries FILE.tsv [--limit 100]
//          [--run OUT] [--tag TAG] [--warmup 50] [--fields F1,F2] [--bm25 K1,B]
//
// plain.jsonl is the output of ../strip_html.py: one {"id","title","text"} a line.
// Every document stores "id" (StringField). Analyzed, unstored fields by layout:
//   combined (default): "contents" = title + "\n" + text  (the Anserini/Pyserini
//                       convention; reproduces the published dev reference)
//   fields:             "title" and "text" as two TextFields
//   both:               all three
// search ORs the analyzed query tokens over "contents" if the index has it, else
// over "title" and "text" (override with --fields). BM25Similarity(1.2, 0.75).
// See ../README.md for the output conventions shared by every peer.

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.cjk.CJKAnalyzer;
import org.apache.lucene.analysis.ko.KoreanAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

public final class SosikPeer {

    static final String USAGE =
        "usage: SosikPeer index  --analyzer nori|cjk --input plain.jsonl --index DIR\n"
      + "                        [--layout combined|fields|both] [--ram-mb 256]\n"
      + "       SosikPeer search --analyzer nori|cjk --index DIR --queries FILE.tsv [--limit 100]\n"
      + "                        [--run OUT] [--tag TAG] [--warmup 50] [--fields F1,F2] [--bm25 K1,B]\n";

    /** Analyzed field of the "combined" layout: title + "\n" + text. */
    static final String CONTENTS = "contents";
    static final String[] SPLIT_FIELDS = {"title", "text"};

    public static void main(String[] args) throws Exception {
        if (args.length < 1) die(USAGE);
        Map<String, String> opt = parseOptions(Arrays.copyOfRange(args, 1, args.length));
        switch (args[0]) {
            case "index":  index(opt); break;
            case "search": search(opt); break;
            default: die(USAGE);
        }
    }

    // ------------------------------------------------------------------ options

    static Map<String, String> parseOptions(String[] a) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < a.length; i++) {
            if (!a[i].startsWith("--") || i + 1 >= a.length) die("bad option near '" + a[i] + "'\n" + USAGE);
            m.put(a[i].substring(2), a[++i]);
        }
        return m;
    }

    static String need(Map<String, String> m, String k) {
        String v = m.get(k);
        if (v == null) die("missing --" + k + "\n" + USAGE);
        return v;
    }

    static void die(String msg) {
        System.err.print(msg.endsWith("\n") ? msg : msg + "\n");
        System.exit(2);
    }

    static Analyzer analyzer(String name) {
        switch (name) {
            case "nori": return new KoreanAnalyzer();   // defaults: DISCARD decompound, default stop tags
            case "cjk":  return new CJKAnalyzer();      // bigrams, width fold, lowercase, English stop words
            default: die("unknown analyzer '" + name + "' (nori|cjk)"); return null;
        }
    }

    // ------------------------------------------------------------------ index

    static void index(Map<String, String> opt) throws Exception {
        String an = need(opt, "analyzer");
        Path input = Paths.get(need(opt, "input"));
        Path dir = Paths.get(need(opt, "index"));
        double ramMb = Double.parseDouble(opt.getOrDefault("ram-mb", "256"));
        String layout = opt.getOrDefault("layout", "combined");
        boolean combined = layout.equals("combined") || layout.equals("both");
        boolean split = layout.equals("fields") || layout.equals("both");
        if (!combined && !split) die("unknown --layout '" + layout + "' (combined|fields|both)");

        long t0 = System.nanoTime();
        long docs = 0, textBytes = 0;
        try (Analyzer a = analyzer(an); Directory d = FSDirectory.open(dir)) {
            IndexWriterConfig cfg = new IndexWriterConfig(a);
            cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE);   // fresh index
            cfg.setRAMBufferSizeMB(ramMb);
            try (IndexWriter w = new IndexWriter(d, cfg); BufferedReader in = openText(input)) {
                // Reuse one Document and its fields (the usual fast-indexing idiom).
                Field fId = new StringField("id", "", Field.Store.YES);
                Field fTitle = new TextField("title", "", Field.Store.NO);
                Field fText = new TextField("text", "", Field.Store.NO);
                Field fContents = new TextField(CONTENTS, "", Field.Store.NO);
                Document doc = new Document();
                doc.add(fId);
                if (split) {
                    doc.add(fTitle);
                    doc.add(fText);
                }
                if (combined) doc.add(fContents);
                String line;
                long ln = 0;
                while ((line = in.readLine()) != null) {
                    ln++;
                    if (line.isBlank()) continue;
                    Map<String, String> o;
                    try {
                        o = MiniJson.parseObject(line);
                    } catch (RuntimeException e) {
                        throw new IOException(input + ":" + ln + ": " + e.getMessage());
                    }
                    String id = o.get("id"), title = o.getOrDefault("title", ""), text = o.get("text");
                    if (text == null) text = o.getOrDefault("body", "");
                    if (id == null) throw new IOException(input + ":" + ln + ": no id");
                    fId.setStringValue(id);
                    fTitle.setStringValue(title);
                    fText.setStringValue(text);
                    if (combined) fContents.setStringValue(title.isEmpty() ? text : title + "\n" + text);
                    w.addDocument(doc);
                    docs++;
                    textBytes += title.getBytes(StandardCharsets.UTF_8).length
                               + text.getBytes(StandardCharsets.UTF_8).length;
                }
                w.commit();
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        long bytes = dirBytes(dir);
        System.out.println(String.format(Locale.ROOT,
            "{\"engine\": \"lucene\", \"analyzer\": \"%s\", \"layout\": \"%s\", \"docs\": %d, \"seconds\": %.3f, "
          + "\"docs_per_s\": %.1f, \"input_mb\": %.3f, \"mb_per_s\": %.3f, \"index_bytes\": %d}",
            an, layout, docs, secs, docs / secs, textBytes / 1e6, textBytes / 1e6 / secs, bytes));
    }

    static long dirBytes(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static BufferedReader openText(Path p) throws IOException {
        java.io.InputStream is = Files.newInputStream(p);
        if (p.toString().endsWith(".gz")) is = new GZIPInputStream(is, 1 << 16);
        return new BufferedReader(new InputStreamReader(is, StandardCharsets.UTF_8), 1 << 16);
    }

    // ------------------------------------------------------------------ search

    static List<String> analyze(Analyzer a, String field, String text) throws IOException {
        List<String> out = new ArrayList<>();
        try (TokenStream ts = a.tokenStream(field, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) out.add(term.toString());
            ts.end();
        }
        return out;
    }

    /** Every analyzed token (repeats kept), one SHOULD TermQuery per token per field: a plain
     *  OR like QueryParser / MultiFieldQueryParser with the OR operator would build. */
    static Query buildQuery(Analyzer a, String q, String[] fields) throws IOException {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        int n = 0;
        for (String f : fields) {
            for (String t : analyze(a, f, q)) {
                b.add(new TermQuery(new Term(f, t)), BooleanClause.Occur.SHOULD);
                n++;
            }
        }
        return n == 0 ? null : b.build();
    }

    static final class Hit {
        final String id; final float score;
        Hit(String id, float score) { this.id = id; this.score = score; }
    }

    static List<Hit> runQuery(IndexSearcher s, Analyzer a, String q, String[] fields, int limit)
            throws IOException {
        List<Hit> hits = new ArrayList<>();
        Query query = buildQuery(a, q, fields);
        if (query == null) return hits;
        TopDocs td = s.search(query, limit);
        for (ScoreDoc sd : td.scoreDocs) hits.add(new Hit(s.doc(sd.doc).get("id"), sd.score));
        return hits;
    }

    static void search(Map<String, String> opt) throws Exception {
        String an = need(opt, "analyzer");
        Path dir = Paths.get(need(opt, "index"));
        Path qfile = Paths.get(need(opt, "queries"));
        int limit = Integer.parseInt(opt.getOrDefault("limit", "100"));
        int warmup = Integer.parseInt(opt.getOrDefault("warmup", "50"));
        String tag = opt.getOrDefault("tag", "lucene-" + an);
        BooleanQuery.setMaxClauseCount(Math.max(BooleanQuery.getMaxClauseCount(), 1 << 16));

        List<String[]> queries = new ArrayList<>();
        try (BufferedReader in = openText(qfile)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) continue;
                int tab = line.indexOf('\t');
                if (tab < 0) die(qfile + ": line without TAB: " + line);
                queries.add(new String[] {line.substring(0, tab).trim(), line.substring(tab + 1).trim()});
            }
        }

        Writer out = opt.containsKey("run")
            ? Files.newBufferedWriter(Paths.get(opt.get("run")), StandardCharsets.UTF_8)
            : new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
        try (Analyzer a = analyzer(an); Directory d = FSDirectory.open(dir);
             DirectoryReader r = DirectoryReader.open(d)) {
            // Default fields: "contents" when the index has it (combined layout), else title + text.
            String[] fields = opt.containsKey("fields") ? opt.get("fields").split(",")
                : FieldInfos.getMergedFieldInfos(r).fieldInfo(CONTENTS) != null ? new String[] {CONTENTS}
                : SPLIT_FIELDS;
            IndexSearcher s = new IndexSearcher(r);   // single thread, default BM25Similarity
            if (opt.containsKey("bm25")) {
                String[] kb = opt.get("bm25").split(",");
                s.setSimilarity(new BM25Similarity(Float.parseFloat(kb[0]), Float.parseFloat(kb[1])));
            }

            for (int i = 0; i < Math.min(warmup, queries.size()); i++)
                runQuery(s, a, queries.get(i)[1], fields, limit);

            double[] ms = new double[queries.size()];
            int zero = 0;
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < queries.size(); i++) {
                String[] q = queries.get(i);
                long t0 = System.nanoTime();
                List<Hit> hits = runQuery(s, a, q[1], fields, limit);
                ms[i] = (System.nanoTime() - t0) / 1e6;
                if (hits.isEmpty()) zero++;
                for (int k = 0; k < hits.size(); k++) {
                    Hit h = hits.get(k);
                    sb.setLength(0);
                    sb.append(q[0]).append(" Q0 ").append(h.id).append(' ').append(k + 1).append(' ')
                      .append(String.format(Locale.ROOT, "%.6f", h.score)).append(' ').append(tag).append('\n');
                    out.write(sb.toString());
                }
            }
            out.flush();
            double[] sorted = ms.clone();
            Arrays.sort(sorted);
            double sum = 0;
            for (double v : ms) sum += v;
            int n = ms.length;
            PrintStream err = new PrintStream(System.err, true, "UTF-8");
            err.println(String.format(Locale.ROOT,
                "{\"engine\": \"lucene\", \"analyzer\": \"%s\", \"fields\": \"%s\", \"queries\": %d, \"mean_ms\": %.3f, "
              + "\"p50_ms\": %.3f, \"p99_ms\": %.3f, \"zero_result\": %d}",
                an, String.join(",", fields), n, n == 0 ? 0 : sum / n, pct(sorted, 50), pct(sorted, 99), zero));
        } finally {
            if (opt.containsKey("run")) out.close();
        }
    }

    /** Nearest-rank percentile of a sorted array. */
    static double pct(double[] sorted, double p) {
        if (sorted.length == 0) return 0;
        int k = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, k))];
    }

    // ------------------------------------------------------------------ JSON

    /** Just enough JSON for flat objects: string values kept, other values skipped. */
    static final class MiniJson {
        private final String s;
        private int i;

        private MiniJson(String s) { this.s = s; }

        static Map<String, String> parseObject(String line) {
            MiniJson p = new MiniJson(line);
            Map<String, String> m = new HashMap<>();
            p.ws();
            p.expect('{');
            p.ws();
            if (p.peek() == '}') return m;
            while (true) {
                p.ws();
                String k = p.string();
                p.ws();
                p.expect(':');
                p.ws();
                if (p.peek() == '"') m.put(k, p.string());
                else p.skipValue();
                p.ws();
                char c = p.next();
                if (c == '}') return m;
                if (c != ',') throw p.err("expected , or }");
            }
        }

        private RuntimeException err(String what) {
            return new IllegalArgumentException(what + " at column " + i);
        }

        private char peek() {
            if (i >= s.length()) throw err("unexpected end");
            return s.charAt(i);
        }

        private char next() { char c = peek(); i++; return c; }

        private void expect(char c) { if (next() != c) throw err("expected '" + c + "'"); }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') return b.toString();
                if (c != '\\') { b.append(c); continue; }
                char e = next();
                switch (e) {
                    case '"': b.append('"'); break;
                    case '\\': b.append('\\'); break;
                    case '/': b.append('/'); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'n': b.append('\n'); break;
                    case 'r': b.append('\r'); break;
                    case 't': b.append('\t'); break;
                    case 'u':
                        if (i + 4 > s.length()) throw err("bad \\u escape");
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));   // surrogates pair up naturally
                        i += 4;
                        break;
                    default: throw err("bad escape");
                }
            }
        }

        private void skipValue() {
            char c = peek();
            if (c == '"') { string(); return; }
            if (c == '{' || c == '[') {
                int depth = 0;
                do {
                    c = peek();
                    if (c == '"') { string(); continue; }
                    if (c == '{' || c == '[') depth++;
                    else if (c == '}' || c == ']') depth--;
                    i++;
                } while (depth > 0);
                return;
            }
            while (i < s.length() && ",}] \t\r\n".indexOf(s.charAt(i)) < 0) i++;   // number, true, false, null
        }
    }
}
