declare module "snowball-stemmers" {
  interface Stemmer {
    stem(word: string): string;
  }
  const snowball: { newStemmer(language: string): Stemmer; algorithms(): string[] };
  export default snowball;
}

declare module "stopword" {
  export const eng: string[];
  export const fra: string[];
}

declare module "stopwords-iso" {
  const lists: Record<string, string[]>;
  export default lists;
}
