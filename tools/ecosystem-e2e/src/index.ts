/** The packages a prod plan of the ecosystem test installs from the local registry, beside the scaffolded metric. */
export const PUBLISHED = ['@vhb/sdk', '@vhb/task-ocr', '@vhb/dataset-jsonl', '@vhb/reporter-markdown'] as const;
