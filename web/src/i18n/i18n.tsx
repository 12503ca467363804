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
  /** A date and time in the UI's language, in the browser's time zone. */
  formatTime: (iso: string | null | undefined) => string;
  formatNumber: (n: number) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(() => {
    const stored = localStorage.getItem(STORAGE_KEY);
    return stored === "en" || stored === "zh-CN" ? stored : browserLanguage(navigator.languages);
  });
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLanguageState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const dateTime = new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "short" });
    const numbers = new Intl.NumberFormat(language);
    return {
      language,
      setLanguage,
      t: (key, vars) => translate(language, key, vars),
      tc: (prefix, code, vars) => translateCode(language, `${prefix}.${code}`, code, vars),
      formatTime: (iso) => (iso ? dateTime.format(new Date(iso)) : "—"),
      formatNumber: (n) => numbers.format(n),
    };
  }, [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
}
