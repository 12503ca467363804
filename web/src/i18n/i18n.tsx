import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { en, type MessageKey } from "./messages-en";
import { zhCN } from "./messages-zh-CN";

export type Language = "en" | "zh-CN";
export const LANGUAGES: readonly Language[] = ["en", "zh-CN"];
const CATALOGUES: Record<Language, Partial<Record<string, string>>> = { en, "zh-CN": zhCN };
const STORAGE_KEY = "perkwise.language";

/** Marks a key the catalogue lacks, visibly: the browser tests fail on any of these. */
export const MISSING_MARK = "⟦missing:";

/** The browser's preferred language among ours (Chinese for any zh-*), else English. */
export function browserLanguage(preferences: readonly string[]): Language {
  for (const tag of preferences) {
    const lower = tag.toLowerCase();
    if (lower.startsWith("zh")) return "zh-CN";
    if (lower.startsWith("en")) return "en";
  }
  return "en";
}

export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

/** Fills `{name}` placeholders; a missing message is reported and shown marked, never as a raw key. */
export function translate(language: Language, key: string, vars?: Vars): string {
  const template = CATALOGUES[language][key];
  if (template === undefined) {
    console.error(`missing translation: ${language} ${key}`);
    return `${MISSING_MARK}${key}⟧`;
  }
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    vars[name] === undefined ? match : String(vars[name]),
  );
}

/**
 * A key built from a value the server sends (a state, a step, an action): a value neither catalogue
 * knows (the server's list grew) shows as itself; one only the other catalogue knows is missing.
 */
export function translateCode(language: Language, key: string, fallback: string, vars?: Vars): string {
  if (LANGUAGES.every((l) => CATALOGUES[l][key] === undefined)) return fallback;
  return translate(language, key, vars);
}

interface I18n {
  language: Language;
  setLanguage: (language: Language) => void;
  t: Translate;
  /** For keys made from server values: `tc("state", "active")` reads `state.active`. */
  tc: (prefix: string, code: string, vars?: Vars) => string;
  /** A date and time in the UI's language and the page's time zone, the zone named. */
  formatTime: (iso: string | null | undefined) => string;
  /** The zone times are shown in (the member's own in the member centre), null: the browser's. */
  timeZone: string | null;
  setTimeZone: (zone: string | null) => void;
  /** "an hour ago" in the UI's language. */
  formatAge: (iso: string, now?: number) => string;
  formatNumber: (n: number) => string;
}

const I18nContext = createContext<I18n | null>(null);

/**
 * The UI's language (stored, else the browser's). With `fixed`, a part of the page in another
 * language — the console showing what a member reads in theirs — without touching the page's.
 */
export function I18nProvider({ children, fixed }: { children: ReactNode; fixed?: Language }) {
  const [chosen, setLanguageState] = useState<Language>(() => {
    const stored = localStorage.getItem(STORAGE_KEY);
    return stored === "en" || stored === "zh-CN" ? stored : browserLanguage(navigator.languages);
  });
  const language = fixed ?? chosen;
  const [timeZone, setTimeZone] = useState<string | null>(null);
  useEffect(() => {
    if (!fixed) document.documentElement.lang = language;
  }, [language, fixed]);
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLanguageState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const dateTime = new Intl.DateTimeFormat(language, {
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      timeZoneName: "short",
      ...(timeZone ? { timeZone } : {}),
    });
    const relative = new Intl.RelativeTimeFormat(language, { numeric: "auto" });
    const numbers = new Intl.NumberFormat(language);
    return {
      language,
      setLanguage,
      t: (key, vars) => translate(language, key, vars),
      tc: (prefix, code, vars) => translateCode(language, `${prefix}.${code}`, code, vars),
      formatTime: (iso) => (iso ? dateTime.format(new Date(iso)) : "—"),
      timeZone,
      setTimeZone,
      formatAge: (iso, now = Date.now()) => relativeAge(relative, Date.parse(iso) - now),
      formatNumber: (n) => numbers.format(n),
    };
  }, [language, setLanguage, timeZone]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
}

/** A signed duration in the largest unit that keeps it at least 1 (seconds up to days). */
function relativeAge(format: Intl.RelativeTimeFormat, ms: number): string {
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ["day", 86_400_000],
    ["hour", 3_600_000],
    ["minute", 60_000],
  ];
  for (const [unit, size] of units) {
    if (Math.abs(ms) >= size) return format.format(Math.round(ms / size), unit);
  }
  return format.format(Math.round(ms / 1000), "second");
}
