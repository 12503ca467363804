import { useId } from "react";
import { useI18n } from "../i18n/i18n";

/** The decision context a form can set: the product, the channel, the client app. */
export interface ContextDraft {
  category: string;
  productId: string;
  onSale: boolean;
  channel: string;
  platform: string;
  version: string;
}

export const EMPTY_CONTEXT: ContextDraft = {
  category: "",
  productId: "",
  onSale: false,
  channel: "",
  platform: "",
  version: "",
};

/** The API's `context` from the draft: only what was filled in. */
export function contextBody(draft: ContextDraft): Record<string, unknown> | undefined {
  const context: Record<string, unknown> = {};
  const product: Record<string, unknown> = {};
  if (draft.category.trim()) product.category = draft.category.trim();
  if (draft.productId.trim()) product.id = draft.productId.trim();
  if (draft.onSale) product.onSale = true;
  if (Object.keys(product).length > 0) context.product = product;
  if (draft.channel.trim()) context.channel = draft.channel.trim();
  if (draft.platform && draft.version.trim())
    context.client = { platform: draft.platform, version: draft.version.trim() };
  return Object.keys(context).length > 0 ? context : undefined;
}

export function ContextFields({
  draft,
  onChange,
}: {
  draft: ContextDraft;
  onChange: (draft: ContextDraft) => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const set = (patch: Partial<ContextDraft>) => onChange({ ...draft, ...patch });
  return (
    <fieldset className="context">
      <legend>{t("context.legend")}</legend>
      <div className="field">
        <label htmlFor={`${id}-category`}>{t("context.category")}</label>
        <input
          id={`${id}-category`}
          value={draft.category}
          placeholder="books"
          onChange={(e) => set({ category: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-product`}>{t("context.productId")}</label>
        <input
          id={`${id}-product`}
          value={draft.productId}
          onChange={(e) => set({ productId: e.target.value })}
        />
      </div>
      <div className="field checkbox">
        <input
          id={`${id}-sale`}
          type="checkbox"
          checked={draft.onSale}
          onChange={(e) => set({ onSale: e.target.checked })}
        />
        <label htmlFor={`${id}-sale`}>{t("context.onSale")}</label>
      </div>
      <div className="field">
        <label htmlFor={`${id}-channel`}>{t("context.channel")}</label>
        <input
          id={`${id}-channel`}
          value={draft.channel}
          placeholder="official_app"
          onChange={(e) => set({ channel: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-platform`}>{t("context.platform")}</label>
        <select
          id={`${id}-platform`}
          value={draft.platform}
          onChange={(e) => set({ platform: e.target.value })}
        >
          <option value="">{t("context.platformNone")}</option>
          <option value="ios">iOS</option>
          <option value="android">Android</option>
          <option value="web">Web</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-version`}>{t("context.version")}</label>
        <input
          id={`${id}-version`}
          value={draft.version}
          placeholder="5.3.0"
          onChange={(e) => set({ version: e.target.value })}
        />
      </div>
    </fieldset>
  );
}
